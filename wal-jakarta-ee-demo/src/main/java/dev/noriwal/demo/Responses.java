package dev.noriwal.demo;

import jakarta.json.Json;
import jakarta.json.JsonStructure;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * JSON responses. Bodies are built with JSON-P and sent as text, so no JSON provider of the JAX-RS
 * runtime is involved and the output is the same on every server.
 */
final class Responses {
  private Responses() {}

  static Response json(int status, JsonStructure body) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(body.toString())
        .build();
  }

  static Response ok(JsonStructure body) {
    return json(200, body);
  }

  /** {@code {"error": code, "message": ..., "status": n}}. */
  static Response error(int status, String code, String message) {
    return json(
        status,
        Json.createObjectBuilder()
            .add("error", code)
            .add("message", message)
            .add("status", status)
            .build());
  }
}
