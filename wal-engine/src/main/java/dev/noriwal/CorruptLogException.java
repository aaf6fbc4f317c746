package dev.noriwal;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The log on disk holds bytes this engine will not accept as they are: a damaged record with valid
 * data after it, a missing segment, or a record in a format this version does not support.
 *
 * <p>It always names the segment file and the byte offset. Nothing has been modified when it is
 * thrown from {@link Wal#open} under {@link RecoveryMode#TOLERATE_TORN_TAIL}.
 */
public final class CorruptLogException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What is wrong at {@link #offset()}. */
  public enum Reason {
    /** A record's stored CRC32C differs from the one computed over its bytes. */
    CHECKSUM_MISMATCH,
    /** A record's lengths or varints cannot be parsed, or run past the end of the file. */
    MALFORMED_RECORD,
    /** A checksum-valid record uses flag bits or a compression code this version does not know. */
    UNSUPPORTED_FORMAT,
    /** A segment id is missing between two segments that exist. */
    MISSING_SEGMENT,
    /** A compressed value cannot be decompressed (or its codec library is absent). */
    UNREADABLE_VALUE
  }

  private final String segment;
  private final long offset;
  private final Reason reason;
  private final long expectedCrc;
  private final long actualCrc;

  public CorruptLogException(String segment, long offset, Reason reason, String detail) {
    this(segment, offset, reason, -1, -1, detail, null);
  }

  public CorruptLogException(
      String segment,
      long offset,
      Reason reason,
      long expectedCrc,
      long actualCrc,
      String detail,
      @Nullable Throwable cause) {
    super(segment + " at offset " + offset + ": " + reason + ": " + detail, cause);
    this.segment = segment;
    this.offset = offset;
    this.reason = reason;
    this.expectedCrc = expectedCrc;
    this.actualCrc = actualCrc;
  }

  /** The segment file name (for example {@code 000003.wal}); for a missing segment, its name. */
  public String segment() {
    return segment;
  }

  /** Byte offset in {@link #segment()} where the damage starts. */
  public long offset() {
    return offset;
  }

  public Reason reason() {
    return reason;
  }

  /** The CRC stored in the record, or -1 when the reason is not a checksum mismatch. */
  public long expectedCrc() {
    return expectedCrc;
  }

  /** The CRC computed over the record's bytes, or -1 when the reason is not a checksum mismatch. */
  public long actualCrc() {
    return actualCrc;
  }
}
