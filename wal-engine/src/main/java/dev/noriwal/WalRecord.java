package dev.noriwal;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the log: a key, a value, and nori-wal's flags (tombstone, TTL, compression).
 *
 * <p>Immutable as far as this class goes: the arrays are taken and handed out without copying, so
 * callers must not modify them after building a record or after reading one. Thread-safe.
 *
 * <p>The TTL is stored, never enforced: the log does not expire records. It is whole milliseconds.
 */
public final class WalRecord {
  private final byte[] key;
  private final byte[] value;
  private final boolean tombstone;
  private final long ttlMillis; // -1 = none
  private final Compression compression;

  private WalRecord(
      byte[] key, byte[] value, boolean tombstone, long ttlMillis, Compression compression) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = Objects.requireNonNull(value, "value");
    this.tombstone = tombstone;
    this.ttlMillis = ttlMillis;
    this.compression = Objects.requireNonNull(compression, "compression");
  }

  /** A put of {@code value} under {@code key}. */
  public static WalRecord put(byte[] key, byte[] value) {
    return new WalRecord(key, value, false, -1, Compression.NONE);
  }

  /** A put whose time to live ({@code ttl}, whole milliseconds, not negative) is stored with it. */
  public static WalRecord putWithTtl(byte[] key, byte[] value, Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative: " + ttl);
    }
    return new WalRecord(key, value, false, ttl.toMillis(), Compression.NONE);
  }

  /** A tombstone for {@code key}: empty value, no TTL. */
  public static WalRecord delete(byte[] key) {
    return new WalRecord(key, new byte[0], true, -1, Compression.NONE);
  }

  /**
   * A copy of this record whose value is compressed with {@code compression} when written. If the
   * compressed form is not smaller, the value is stored as is and the flags say {@code NONE}.
   */
  public WalRecord withCompression(Compression compression) {
    return new WalRecord(key, value, tombstone, ttlMillis, compression);
  }

  /** Used by the decoder: the full set of fields as found on disk. */
  static WalRecord of(
      byte[] key, byte[] value, boolean tombstone, long ttlMillis, Compression compression) {
    return new WalRecord(key, value, tombstone, ttlMillis, compression);
  }

  public byte[] key() {
    return key;
  }

  /** The (uncompressed) value; empty for a tombstone. */
  public byte[] value() {
    return value;
  }

  public boolean isTombstone() {
    return tombstone;
  }

  public Optional<Duration> ttl() {
    return ttlMillis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(ttlMillis));
  }

  /** TTL in milliseconds, or -1 when the record has none. */
  public long ttlMillis() {
    return ttlMillis;
  }

  /**
   * The compression requested for writing, or for a record read back, the compression found on
   * disk.
   */
  public Compression compression() {
    return compression;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WalRecord r
        && tombstone == r.tombstone
        && ttlMillis == r.ttlMillis
        && compression == r.compression
        && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(key), Arrays.hashCode(value), tombstone, ttlMillis, compression);
  }

  @Override
  public String toString() {
    return (tombstone ? "delete(" : "put(")
        + key.length
        + "B key, "
        + value.length
        + "B value"
        + (ttlMillis >= 0 ? ", ttl=" + ttlMillis + "ms" : "")
        + (compression != Compression.NONE ? ", " + compression : "")
        + ")";
  }
}
