package dev.noriwal.journal;

import dev.noriwal.WalRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link JournalEntry} is stored as one {@link WalRecord}. Version 1:
 *
 * <pre>
 * key   = UTF-8 of "inv/" + invocationId
 * value = UTF-8 of one JSON object, members in this order:
 *
 *   {"v":1,"type":"invocation","id":ID,"ts":TS,"bean":CLASS,"method":SIG,"codec":CODEC,"args":ARGS}
 *   {"v":1,"type":"completion","id":ID,"ts":TS,"result":RESULT}
 *   {"v":1,"type":"failure","id":ID,"ts":TS,"exception":CLASS,"message":MESSAGE}
 *
 *   ID      the invocation id (a UUID string), equal to the key's suffix
 *   TS      ISO-8601 instant, e.g. "2026-11-26T10:15:30.123456Z"
 *   CLASS   binary class name, e.g. "com.example.Bank" / "java.lang.IllegalStateException"
 *   SIG     method name and erased parameter types, e.g. "transfer(java.lang.String,long)"
 *   CODEC   id of the {@link InvocationCodec} that wrote ARGS, e.g. "json"
 *   ARGS    the codec's JSON array text, stored as a JSON string (so it reads back byte for byte)
 *   RESULT  the return value's JSON text as a JSON string, or null (void, or not recorded)
 *   MESSAGE the exception message, or null
 * </pre>
 *
 * Records are plain puts (no tombstone, TTL or compression is set). Readers must ignore members
 * they do not know and refuse a {@code "v"} they do not know. Every other key in the same log is
 * not a journal record: {@link #isJournalRecord} tells them apart. Stateless and thread-safe.
 */
public final class JournalFormat {

  /** Prefix of every journal record key. */
  public static final String KEY_PREFIX = "inv/";

  /** The format version written in {@code "v"}. */
  public static final int VERSION = 1;

  private JournalFormat() {}

  public static WalRecord toRecord(JournalEntry entry) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("v", BigDecimal.valueOf(VERSION));
    if (entry instanceof Invocation i) {
      o.put("type", "invocation");
      o.put("id", i.invocationId());
      o.put("ts", i.timestamp().toString());
      o.put("bean", i.beanClass());
      o.put("method", i.method());
      o.put("codec", i.codec());
      o.put("args", i.arguments());
    } else if (entry instanceof Completion c) {
      o.put("type", "completion");
      o.put("id", c.invocationId());
      o.put("ts", c.timestamp().toString());
      o.put("result", c.result());
    } else if (entry instanceof Failure f) {
      o.put("type", "failure");
      o.put("id", f.invocationId());
      o.put("ts", f.timestamp().toString());
      o.put("exception", f.exceptionType());
      o.put("message", f.message());
    }
    return WalRecord.put(
        (KEY_PREFIX + entry.invocationId()).getBytes(StandardCharsets.UTF_8),
        Json.write(o).getBytes(StandardCharsets.UTF_8));
  }

  /** Whether {@code record} claims to be a journal record (its key starts with {@code inv/}). */
  public static boolean isJournalRecord(WalRecord record) {
    byte[] k = record.key();
    if (record.isTombstone() || k.length < KEY_PREFIX.length()) {
      return false;
    }
    for (int i = 0; i < KEY_PREFIX.length(); i++) {
      if (k[i] != KEY_PREFIX.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads a journal record back.
   *
   * @throws IllegalArgumentException naming what is wrong when {@code record} is not a valid
   *     journal record (wrong key prefix, not JSON, unknown version or type, missing member, id
   *     that differs from the key)
   */
  public static JournalEntry fromRecord(WalRecord record) {
    if (!isJournalRecord(record)) {
      throw new IllegalArgumentException(
          "not a journal record: "
              + (record.isTombstone() ? "a tombstone" : "key does not start with \"inv/\""));
    }
    String keyId = new String(record.key(), StandardCharsets.UTF_8).substring(KEY_PREFIX.length());
    Object tree;
    try {
      tree = Json.parse(new String(record.value(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "journal record inv/" + keyId + ": value is not JSON: " + e.getMessage(), e);
    }
    if (!(tree instanceof Map<?, ?> o)) {
      throw new IllegalArgumentException(
          "journal record inv/" + keyId + ": value is not a JSON object");
    }
    Object v = o.get("v");
    if (!(v instanceof BigDecimal bd) || bd.compareTo(BigDecimal.valueOf(VERSION)) != 0) {
      throw new IllegalArgumentException(
          "journal record inv/" + keyId + ": unsupported version \"v\": " + v);
    }
    String id = text(o, "id", keyId);
    if (!id.equals(keyId)) {
      throw new IllegalArgumentException(
          "journal record inv/" + keyId + ": member \"id\" is " + id + ", not the key's id");
    }
    Instant ts;
    try {
      ts = Instant.parse(text(o, "ts", keyId));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "journal record inv/" + keyId + ": member \"ts\" is not an ISO-8601 instant", e);
    }
    String type = text(o, "type", keyId);
    return switch (type) {
      case "invocation" ->
          new Invocation(
              id,
              text(o, "bean", keyId),
              text(o, "method", keyId),
              ts,
              text(o, "codec", keyId),
              text(o, "args", keyId));
      case "completion" -> new Completion(id, ts, optionalText(o, "result", keyId));
      case "failure" ->
          new Failure(id, ts, text(o, "exception", keyId), optionalText(o, "message", keyId));
      default ->
          throw new IllegalArgumentException(
              "journal record inv/" + keyId + ": unknown \"type\": " + type);
    };
  }

  private static String text(Map<?, ?> o, String name, String keyId) {
    Object v = o.get(name);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(
          "journal record inv/"
              + keyId
              + ": member \""
              + name
              + "\" must be a string"
              + (v == null ? " but is missing or null" : ""));
    }
    return s;
  }

  private static @Nullable String optionalText(Map<?, ?> o, String name, String keyId) {
    Object v = o.get(name);
    if (v != null && !(v instanceof String)) {
      throw new IllegalArgumentException(
          "journal record inv/" + keyId + ": member \"" + name + "\" must be a string or null");
    }
    return (String) v;
  }
}
