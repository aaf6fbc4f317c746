package dev.noriwal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The one place that decides whether the bytes at an offset are a valid record (layout in {@link
 * RecordFormat}), used by the reader, the recovery scan and its search for valid records after
 * damage. A record is valid when, in this order:
 *
 * <ol>
 *   <li>its header parses: every varint ends within 10 bytes and the header ends within the
 *       readable bytes ({@link Verdict#HEADER_CUT_OFF}, {@link Verdict#VARINT_OVERFLOW});
 *   <li>its key, value and CRC fit in the readable bytes from its start ({@link Verdict#PAST_END});
 *   <li>the stored CRC32C equals the one computed over every byte from klen through the value
 *       ({@link Verdict#CHECKSUM_MISMATCH});
 *   <li>its flags use only bits and codes this version understands ({@link
 *       Verdict#UNSUPPORTED_FORMAT}: checksum-valid, so a record of a later format, not damage).
 * </ol>
 *
 * <p>A check runs in two steps so that callers with a bounded buffer can use it: {@link #frame}
 * (steps 1 and 2, from the header bytes alone), then either {@link #checksum} when the whole record
 * is in one buffer, or {@link #beginCrc}, {@link #updateCrc} and {@link #endCrc} when it is
 * streamed in pieces. After a framed check the accessors describe the record; nothing is allocated
 * per record.
 *
 * <p>Not thread-safe: one instance per reader or scanner, describing its last check.
 */
final class RecordValidator {

  /** What the bytes at an offset are. */
  enum Verdict {
    VALID(null),
    /** Checksum-valid, but with reserved flag bits or compression code 3. */
    UNSUPPORTED_FORMAT(CorruptLogException.Reason.UNSUPPORTED_FORMAT),
    /** The readable bytes end before the header does. */
    HEADER_CUT_OFF(CorruptLogException.Reason.MALFORMED_RECORD),
    /** A header varint reached an 11th byte. */
    VARINT_OVERFLOW(CorruptLogException.Reason.MALFORMED_RECORD),
    /** The lengths claim more bytes than are readable from the record's start. */
    PAST_END(CorruptLogException.Reason.MALFORMED_RECORD),
    CHECKSUM_MISMATCH(CorruptLogException.Reason.CHECKSUM_MISMATCH);

    private final CorruptLogException.@Nullable Reason reason;

    Verdict(CorruptLogException.@Nullable Reason reason) {
      this.reason = reason;
    }

    /** Whether the checksum held: a record, supported or not. */
    boolean checksumValid() {
      return this == VALID || this == UNSUPPORTED_FORMAT;
    }
  }

  private final CRC32C crc = new CRC32C();
  private long varint;
  private final long[] scratch = new long[1];
  private long klen;
  private long vlen;
  private int flags;
  private long ttlMillis;
  private int headerSize;
  private long room;
  private int storedCrc;
  private int computedCrc;

  /**
   * Parses the header at {@code b[off, off + avail)}: {@link Verdict#VALID} (header only, lengths
   * not checked), {@link Verdict#HEADER_CUT_OFF} or {@link Verdict#VARINT_OVERFLOW}.
   */
  Verdict header(ByteBuffer b, int off, int avail) {
    int limit = off + avail;
    int p = off;
    int n = varint(b, p, limit);
    if (n <= 0) {
      return cut(n);
    }
    klen = varint;
    p += n;
    n = varint(b, p, limit);
    if (n <= 0) {
      return cut(n);
    }
    vlen = varint;
    p += n;
    if (p >= limit) {
      return Verdict.HEADER_CUT_OFF;
    }
    flags = b.get(p) & 0xFF;
    p++;
    ttlMillis = -1;
    if ((flags & RecordFormat.FLAG_TTL) != 0) {
      n = varint(b, p, limit);
      if (n <= 0) {
        return cut(n);
      }
      ttlMillis = varint;
      p += n;
    }
    if ((flags & RecordFormat.FLAG_VERSION) != 0) {
      // A later nori-wal's Raft version stamp (term, index): parsed so its CRC can be checked and
      // the record reported as an unsupported format rather than as damage.
      for (int i = 0; i < 2; i++) {
        n = varint(b, p, limit);
        if (n <= 0) {
          return cut(n);
        }
        p += n;
      }
    }
    headerSize = p - off;
    return Verdict.VALID;
  }

  private static Verdict cut(int n) {
    return n == 0 ? Verdict.HEADER_CUT_OFF : Verdict.VARINT_OVERFLOW;
  }

  /**
   * Steps 1 and 2: parses the header at {@code b[off, off + avail)} and checks that the record fits
   * in the {@code room} bytes readable from its start. {@link Verdict#VALID} means framed: the CRC
   * is still to be checked.
   */
  Verdict frame(ByteBuffer b, int off, int avail, long room) {
    this.room = room;
    Verdict v = header(b, off, (int) Math.min(avail, room));
    if (v != Verdict.VALID) {
      return v;
    }
    // Varints carry 64 bits: a length with the top bit set reads as negative.
    if (klen < 0 || vlen < 0 || klen > room || vlen > room || totalSize() > room) {
      return Verdict.PAST_END;
    }
    return Verdict.VALID;
  }

  /** Steps 3 and 4 for a framed record that lies whole in {@code b} from {@code off}. */
  Verdict checksum(ByteBuffer b, int off) {
    int covered = (int) coveredSize();
    int limit = b.limit();
    int position = b.position();
    crc.reset();
    b.limit(off + covered).position(off);
    crc.update(b);
    b.limit(limit).position(position);
    return endCrc(RecordFormat.storedCrc(b, off + covered));
  }

  /** Starts the CRC of a framed record that is streamed in pieces. */
  void beginCrc() {
    crc.reset();
  }

  /** Adds the next piece of the covered bytes (klen through the value), consuming it. */
  void updateCrc(ByteBuffer piece) {
    crc.update(piece);
  }

  /** Steps 3 and 4 once every covered byte went through {@link #updateCrc}. */
  Verdict endCrc(int stored) {
    storedCrc = stored;
    computedCrc = (int) crc.getValue();
    if (storedCrc != computedCrc) {
      return Verdict.CHECKSUM_MISMATCH;
    }
    return RecordFormat.supportedFlags(flags) ? Verdict.VALID : Verdict.UNSUPPORTED_FORMAT;
  }

  long keyLength() {
    return klen;
  }

  long valueLength() {
    return vlen;
  }

  int flags() {
    return flags;
  }

  /** The TTL in milliseconds, or -1 without one. */
  long ttlMillis() {
    return ttlMillis;
  }

  int headerSize() {
    return headerSize;
  }

  /** Header, key, stored value and CRC. */
  long totalSize() {
    return headerSize + klen + vlen + RecordFormat.CRC_SIZE;
  }

  /** The bytes the CRC covers: klen through the last stored value byte. */
  long coveredSize() {
    return totalSize() - RecordFormat.CRC_SIZE;
  }

  /** The stored CRC of the last checksum, as an unsigned value. */
  long storedCrc() {
    return Integer.toUnsignedLong(storedCrc);
  }

  /** The computed CRC of the last checksum, as an unsigned value. */
  long computedCrc() {
    return Integer.toUnsignedLong(computedCrc);
  }

  /** A sentence for people on why the last check gave {@code v}. */
  String detail(Verdict v) {
    return switch (v) {
      case VALID -> "valid record of " + totalSize() + " bytes";
      case UNSUPPORTED_FORMAT ->
          String.format(
              "checksum-valid record uses flags 0x%02x (reserved bits or compression code 3) that"
                  + " this version does not support",
              flags);
      case HEADER_CUT_OFF -> "record header is cut off by the end of the readable bytes";
      case VARINT_OVERFLOW -> "record header has a varint longer than 10 bytes";
      case PAST_END ->
          "record claims key="
              + Long.toUnsignedString(klen)
              + " value="
              + Long.toUnsignedString(vlen)
              + " bytes, past the end of the readable bytes ("
              + room
              + " left)";
      case CHECKSUM_MISMATCH ->
          String.format(
              "CRC32C mismatch: stored %08x, computed %08x over %d bytes",
              storedCrc, computedCrc, coveredSize());
    };
  }

  /** The exception a reader throws for a failed check of the record at {@code offset}. */
  CorruptLogException failure(Verdict v, String segment, long offset) {
    if (v == Verdict.VALID) {
      throw new IllegalArgumentException("a valid record is no failure");
    }
    boolean crcKnown = v == Verdict.CHECKSUM_MISMATCH;
    return new CorruptLogException(
        segment,
        offset,
        java.util.Objects.requireNonNull(v.reason),
        crcKnown ? storedCrc() : -1,
        crcKnown ? computedCrc() : -1,
        detail(v),
        null);
  }

  /**
   * Reads a varint at {@code p} into {@link #varint}, as {@link RecordFormat#readVarint} does, with
   * a fast path for the one-byte varints of small lengths.
   */
  private int varint(ByteBuffer b, int p, int limit) {
    if (p < limit) {
      int x = b.get(p);
      if (x >= 0) {
        varint = x;
        return 1;
      }
    }
    int n = RecordFormat.readVarint(b, p, limit, scratch);
    varint = scratch[0];
    return n;
  }
}
