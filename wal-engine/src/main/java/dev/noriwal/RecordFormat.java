package dev.noriwal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * nori-wal's record layout, byte for byte.
 *
 * <pre>
 *  offset 0
 *  +-----------+-----------+-------+--------------+---------+-----------------+-------------+
 *  | klen      | vlen      | flags | ttl_ms       | key     | stored value    | crc32c (LE) |
 *  | varint    | varint    | 1 B   | varint, only | klen B  | vlen B          | 4 B         |
 *  |           |           |       | if flags&0x02|         |                 |             |
 *  +-----------+-----------+-------+--------------+---------+-----------------+-------------+
 *  flags: bit0 tombstone, bit1 TTL present, bits2-3 compression (0 none, 1 LZ4, 2 Zstd),
 *         bits4-7 reserved (a checksum-valid record using them is an unsupported format; for
 *         bit 4, later nori-wal versions put two varints, Raft term and index, after the TTL,
 *         and the CRC is checked with that layout)
 *  LZ4 stored value  = varint(original length) + raw LZ4 block
 *  Zstd stored value = one complete Zstd frame
 *  crc32c covers every byte from klen through the last stored value byte.
 * </pre>
 *
 * Varints are unsigned LEB128, minimal when written; reading accepts non-minimal forms and fails on
 * an 11th byte, as nori-wal does. A segment is records packed from offset 0 with no header; a run
 * of at least {@link #MIN_RECORD_SIZE} zero bytes can never be a valid record (the CRC of three
 * zero bytes is not zero), which is how a zero-filled preallocated tail ends the log.
 *
 * <p>Stateless; thread-safe.
 */
final class RecordFormat {
  static final int FLAG_TOMBSTONE = 0x01;
  static final int FLAG_TTL = 0x02;
  static final int COMPRESSION_SHIFT = 2;
  static final int COMPRESSION_MASK = 0x0C;
  static final int RESERVED_MASK = 0xF0;

  /** Bit 4 in later nori-wal versions: two varints (Raft term, index) follow the TTL. */
  static final int FLAG_VERSION = 0x10;

  static final int CRC_SIZE = 4;
  static final int MIN_RECORD_SIZE = 7;

  /** klen + vlen + flags + ttl + (term, index), each varint at most 10 bytes. */
  static final int MAX_HEADER_SIZE = 10 + 10 + 1 + 10 + 20;

  private RecordFormat() {}

  static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  static void putVarint(ByteBuffer b, long v) {
    while ((v & ~0x7FL) != 0) {
      b.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    b.put((byte) v);
  }

  /** Flags byte for a record whose value is stored with {@code stored} compression. */
  static int flags(WalRecord r, Compression stored) {
    int f = stored.code() << COMPRESSION_SHIFT;
    if (r.isTombstone()) {
      f |= FLAG_TOMBSTONE;
    }
    if (r.ttlMillis() >= 0) {
      f |= FLAG_TTL;
    }
    return f;
  }

  static int headerSize(int klen, int vlen, long ttlMillis) {
    return varintSize(klen) + varintSize(vlen) + 1 + (ttlMillis >= 0 ? varintSize(ttlMillis) : 0);
  }

  /** Encoded size of a record whose stored value is {@code storedValueLength} bytes. */
  static long encodedSize(WalRecord r, int storedValueLength) {
    return (long) headerSize(r.key().length, storedValueLength, r.ttlMillis())
        + r.key().length
        + storedValueLength
        + CRC_SIZE;
  }

  /**
   * Writes one record at {@code out}'s position (which must have room) and advances it. {@code crc}
   * is a scratch instance owned by the caller.
   */
  static void write(
      ByteBuffer out, WalRecord r, byte[] storedValue, Compression stored, CRC32C crc) {
    int start = out.position();
    putVarint(out, r.key().length);
    putVarint(out, storedValue.length);
    out.put((byte) flags(r, stored));
    if (r.ttlMillis() >= 0) {
      putVarint(out, r.ttlMillis());
    }
    out.put(r.key());
    out.put(storedValue);
    int end = out.position();
    int limit = out.limit();
    crc.reset();
    out.position(start).limit(end);
    crc.update(out); // leaves the position at end
    out.limit(limit);
    int c = (int) crc.getValue();
    out.put((byte) c).put((byte) (c >>> 8)).put((byte) (c >>> 16)).put((byte) (c >>> 24));
  }

  /** Encodes a record into a new array (tests, tools). */
  static byte[] encode(WalRecord r) {
    Codecs.Stored s = Codecs.compress(r);
    ByteBuffer b = ByteBuffer.allocate((int) encodedSize(r, s.bytes().length));
    write(b, r, s.bytes(), s.compression(), new CRC32C());
    return b.array();
  }

  /**
   * Reads a varint at {@code p}; returns bytes consumed, 0 if the input ends first, -1 on an 11th
   * byte. Bits above 63 are dropped, as nori-wal does.
   */
  static int readVarint(ByteBuffer b, int p, int limit, long[] out) {
    long result = 0;
    int shift = 0;
    for (int i = 0; ; i++) {
      if (i == 10) {
        return -1;
      }
      if (p + i >= limit) {
        return 0;
      }
      int x = b.get(p + i) & 0xFF;
      if (shift < 64) {
        result |= (long) (x & 0x7F) << shift;
      }
      shift += 7;
      if ((x & 0x80) == 0) {
        out[0] = result;
        return i + 1;
      }
    }
  }

  static int storedCrc(ByteBuffer b, int at) {
    return (b.get(at) & 0xFF)
        | (b.get(at + 1) & 0xFF) << 8
        | (b.get(at + 2) & 0xFF) << 16
        | (b.get(at + 3) & 0xFF) << 24;
  }

  /** Whether the flags use only bits and codes this version understands. */
  static boolean supportedFlags(int flags) {
    return (flags & RESERVED_MASK) == 0 && ((flags & COMPRESSION_MASK) >> COMPRESSION_SHIFT) != 3;
  }

  static Compression compressionOf(int flags) {
    return switch ((flags & COMPRESSION_MASK) >> COMPRESSION_SHIFT) {
      case 0 -> Compression.NONE;
      case 1 -> Compression.LZ4;
      case 2 -> Compression.ZSTD;
      default -> throw new IllegalArgumentException("compression code 3 is not defined");
    };
  }
}
