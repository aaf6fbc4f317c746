package dev.noriwal.demo;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One fact of the ledger, stored as one log record: the key is the event id, the value a JSON
 * object with a {@code type} field. Amounts are whole cents. Immutable and thread-safe.
 */
public sealed interface LedgerEvent {

  /** Unique id of the event (the command id that produced it). */
  String id();

  Instant at();

  /** The JSON {@code type} value. */
  String type();

  /** An account was opened with a starting balance (money entering the ledger). */
  record AccountOpened(String id, Instant at, String account, long initialBalance)
      implements LedgerEvent {
    @Override
    public String type() {
      return "account-opened";
    }
  }

  /** Money entering the ledger. */
  record Deposited(String id, Instant at, String account, long amount) implements LedgerEvent {
    @Override
    public String type() {
      return "deposit";
    }
  }

  /** Money leaving the ledger. */
  record Withdrawn(String id, Instant at, String account, long amount) implements LedgerEvent {
    @Override
    public String type() {
      return "withdrawal";
    }
  }

  /** Money moving between two accounts; the ledger's total is unchanged. */
  record Transferred(String id, Instant at, String from, String to, long amount)
      implements LedgerEvent {
    @Override
    public String type() {
      return "transfer";
    }
  }

  /** The JSON form, as stored in the log and served by the API. */
  default JsonObject toJson() {
    JsonObjectBuilder b =
        Json.createObjectBuilder().add("type", type()).add("id", id()).add("at", at().toString());
    if (this instanceof AccountOpened e) {
      b.add("account", e.account()).add("initialBalance", e.initialBalance());
    } else if (this instanceof Deposited e) {
      b.add("account", e.account()).add("amount", e.amount());
    } else if (this instanceof Withdrawn e) {
      b.add("account", e.account()).add("amount", e.amount());
    } else if (this instanceof Transferred e) {
      b.add("from", e.from()).add("to", e.to()).add("amount", e.amount());
    }
    return b.build();
  }

  default byte[] key() {
    return id().getBytes(StandardCharsets.UTF_8);
  }

  default byte[] value() {
    return toJson().toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Decodes a record value written by {@link #value()}.
   *
   * @throws IllegalArgumentException if the bytes are not a ledger event
   */
  static LedgerEvent fromValue(byte[] value) {
    JsonObject o;
    try (JsonReader r =
        Json.createReader(new StringReader(new String(value, StandardCharsets.UTF_8)))) {
      o = r.readObject();
    } catch (JsonException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
    }
    String type = text(o, "type");
    String id = text(o, "id");
    Instant at;
    try {
      at = Instant.parse(text(o, "at"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad \"at\" in " + type + " event " + id, e);
    }
    return switch (type) {
      case "account-opened" ->
          new AccountOpened(id, at, text(o, "account"), number(o, "initialBalance"));
      case "deposit" -> new Deposited(id, at, text(o, "account"), number(o, "amount"));
      case "withdrawal" -> new Withdrawn(id, at, text(o, "account"), number(o, "amount"));
      case "transfer" ->
          new Transferred(id, at, text(o, "from"), text(o, "to"), number(o, "amount"));
      default -> throw new IllegalArgumentException("unknown event type: " + type);
    };
  }

  private static String text(JsonObject o, String field) {
    JsonValue v = o.get(field);
    if (v == null || v.getValueType() != JsonValue.ValueType.STRING) {
      throw new IllegalArgumentException("event field \"" + field + "\" must be a string: " + o);
    }
    return Objects.requireNonNull(o.getString(field));
  }

  private static long number(JsonObject o, String field) {
    JsonValue v = o.get(field);
    if (!(v instanceof JsonNumber n) || !n.isIntegral()) {
      throw new IllegalArgumentException("event field \"" + field + "\" must be an integer: " + o);
    }
    return n.longValueExact();
  }
}
