package dev.noriwal.kafka;

import dev.noriwal.Position;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The headers a relay puts on each Kafka record, all UTF-8 text so any consumer can read them:
 *
 * <pre>
 * nori.position  SEGMENT:OFFSET  where the record starts in the log
 * nori.next      SEGMENT:OFFSET  where the next record starts: the relay's position once this
 *                                record is committed (read back on start)
 * nori.relay     text            the relay's transactional.id: whose position this is
 * nori.ttl-ms    decimal         the record's TTL in milliseconds (only on records that have one)
 * </pre>
 */
public final class RelayHeaders {
  public static final String POSITION = "nori.position";
  public static final String NEXT = "nori.next";
  public static final String RELAY = "nori.relay";
  public static final String TTL_MS = "nori.ttl-ms";

  private RelayHeaders() {}

  static byte[] text(Object o) {
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The header's value as text, or {@code null} if absent. */
  public static @Nullable String get(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** The log position a relay's record carries in {@code name}, or {@code null}. */
  public static @Nullable Position position(Headers headers, String name) {
    String t = get(headers, name);
    return t == null ? null : Position.parse(t);
  }
}
