package dev.noriwal.demo;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.math.BigDecimal;

/**
 * A request body parsed as a JSON object, with field readers that turn every mistake into a 400
 * {@link LedgerException} naming the field. Request bodies are read as text and parsed here, not by
 * the JAX-RS runtime's JSON provider, so a malformed body gets the same error on Jersey, RESTEasy
 * and Liberty. Not thread-safe (one per request).
 */
final class JsonBody {
  private final JsonObject object;

  private JsonBody(JsonObject object) {
    this.object = object;
  }

  /**
   * @throws LedgerException 400 {@code malformed_json} if {@code text} is not one JSON object
   */
  static JsonBody parse(String text) {
    if (text == null || text.isBlank()) {
      throw LedgerException.badRequest("malformed_json", "the request body must be a JSON object");
    }
    try (JsonParser p = Json.createParser(new StringReader(text))) {
      JsonParser.Event first = p.next();
      if (first != JsonParser.Event.START_OBJECT) {
        throw LedgerException.badRequest(
            "malformed_json", "the request body must be a JSON object, not " + kind(p.getValue()));
      }
      JsonObject object = p.getObject();
      if (p.hasNext()) {
        throw LedgerException.badRequest(
            "malformed_json", "the request body has content after the JSON object");
      }
      return new JsonBody(object);
    } catch (JsonParsingException e) {
      throw LedgerException.badRequest(
          "malformed_json",
          "the request body is not valid JSON (line "
              + e.getLocation().getLineNumber()
              + ", column "
              + e.getLocation().getColumnNumber()
              + ")");
    } catch (JsonException | java.util.NoSuchElementException e) {
      throw LedgerException.badRequest("malformed_json", "the request body is not valid JSON");
    }
  }

  String requiredString(String field) {
    JsonValue v = object.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      throw LedgerException.badRequest("missing_field", "field \"" + field + "\" is required");
    }
    if (!(v instanceof JsonString s)) {
      throw LedgerException.badRequest(
          "invalid_field", "field \"" + field + "\" must be a string, not " + kind(v));
    }
    return s.getString();
  }

  String optionalString(String field, String otherwise) {
    JsonValue v = object.get(field);
    return v == null || v.getValueType() == JsonValue.ValueType.NULL
        ? otherwise
        : requiredString(field);
  }

  /** A whole number of cents. */
  long requiredCents(String field) {
    JsonValue v = object.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      throw LedgerException.badRequest("missing_field", "field \"" + field + "\" is required");
    }
    if (!(v instanceof JsonNumber n)) {
      throw LedgerException.badRequest(
          "invalid_amount", "field \"" + field + "\" must be a number of cents, not " + kind(v));
    }
    BigDecimal d = n.bigDecimalValue();
    if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
      throw LedgerException.badRequest(
          "invalid_amount", "field \"" + field + "\" must be a whole number of cents: " + d);
    }
    if (d.abs().compareTo(BigDecimal.valueOf(Ledger.MAX_AMOUNT)) > 0) {
      throw LedgerException.badRequest(
          "invalid_amount",
          "field \"" + field + "\" must be at most " + Ledger.MAX_AMOUNT + " cents: " + d);
    }
    return d.longValue();
  }

  long optionalCents(String field, long otherwise) {
    JsonValue v = object.get(field);
    return v == null || v.getValueType() == JsonValue.ValueType.NULL
        ? otherwise
        : requiredCents(field);
  }

  private static String kind(JsonValue v) {
    return switch (v.getValueType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case TRUE, FALSE -> "a boolean";
      case NULL -> "null";
    };
  }
}
