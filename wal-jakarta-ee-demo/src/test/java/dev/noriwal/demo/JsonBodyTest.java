package dev.noriwal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

  private static LedgerException error(Runnable r) {
    LedgerException e = assertThrows(LedgerException.class, r::run);
    assertEquals(400, e.status());
    return e;
  }

  @Test
  void malformedBodiesAre400MalformedJson() {
    for (String body :
        new String[] {"", "   ", "{", "{\"from\":", "[1,2]", "\"text\"", "42", "{}x"}) {
      assertEquals("malformed_json", error(() -> JsonBody.parse(body)).code(), body);
    }
    assertTrue(error(() -> JsonBody.parse("{\"a\":")).getMessage().contains("line 1"));
  }

  @Test
  void fieldsAreTypeChecked() {
    JsonBody b =
        JsonBody.parse(
            "{\"s\":\"x\",\"n\":12,\"d\":1.5,\"neg\":-3,\"big\":1e30,\"str\":\"7\",\"nul\":null}");
    assertEquals("x", b.requiredString("s"));
    assertEquals(12, b.requiredCents("n"));
    assertEquals(-3, b.requiredCents("neg")); // sign is the ledger's rule, checked there
    assertEquals("missing_field", error(() -> b.requiredString("absent")).code());
    assertEquals("missing_field", error(() -> b.requiredCents("nul")).code());
    assertEquals("invalid_field", error(() -> b.requiredString("n")).code());
    assertEquals("invalid_amount", error(() -> b.requiredCents("d")).code());
    assertEquals("invalid_amount", error(() -> b.requiredCents("big")).code());
    assertEquals("invalid_amount", error(() -> b.requiredCents("str")).code());
    assertEquals(5, b.optionalCents("absent", 5));
    assertEquals(12, JsonBody.parse("{\"n\":12.00}").requiredCents("n"));
  }

  @Test
  void errorsLeaveAsJsonWithTheirStatus() {
    Response r =
        new ErrorMappers.Refused()
            .toResponse(
                new LedgerException(
                    422, "insufficient_funds", "account \"a\" has 1 cents, cannot pay 2"));
    assertEquals(422, r.getStatus());
    assertEquals(
        "{\"error\":\"insufficient_funds\",\"message\":\"account \\\"a\\\" has 1 cents, cannot pay 2\",\"status\":422}",
        r.getEntity());
  }
}
