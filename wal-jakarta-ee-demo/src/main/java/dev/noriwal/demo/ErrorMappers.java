package dev.noriwal.demo;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;

/** Every error leaves the API as a JSON body {@code {"error", "message", "status"}}. */
final class ErrorMappers {
  private static final System.Logger LOG = System.getLogger(ErrorMappers.class.getName());

  private ErrorMappers() {}

  /** Refused by the ledger's rules or by request validation: 4xx, nothing changed. */
  @Provider
  public static class Refused implements ExceptionMapper<LedgerException> {
    @Override
    public Response toResponse(LedgerException e) {
      return Responses.error(e.status(), e.code(), e.getMessage());
    }
  }

  /** Errors raised by the JAX-RS runtime itself (unknown path, wrong method, ...). */
  @Provider
  public static class Http implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      int status = e.getResponse().getStatus();
      String reason =
          Response.Status.fromStatusCode(status) != null
              ? Response.Status.fromStatusCode(status).getReasonPhrase()
              : "HTTP " + status;
      return Responses.error(status, "http_" + status, reason);
    }
  }

  /** The ledger log failed: the request was not applied, and the log accepts no more appends. */
  @Provider
  public static class LogUnavailable implements ExceptionMapper<UncheckedIOException> {
    @Override
    public Response toResponse(UncheckedIOException e) {
      LOG.log(Level.ERROR, "ledger log failure", e);
      return Responses.error(503, "log_unavailable", e.getMessage());
    }
  }

  /** Anything else is a bug: 500, logged once here, no stack trace in the response. */
  @Provider
  public static class Unexpected implements ExceptionMapper<RuntimeException> {
    @Override
    public Response toResponse(RuntimeException e) {
      LOG.log(Level.ERROR, "unexpected error", e);
      return Responses.error(500, "internal_error", "unexpected error: " + e.getClass().getName());
    }
  }
}
