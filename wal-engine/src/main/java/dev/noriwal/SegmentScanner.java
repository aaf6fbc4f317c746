package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Streams through one segment file, checking every record's lengths and CRC with a bounded buffer
 * (records larger than the buffer are checksummed in pieces), and finds where damage starts and
 * where valid records resume after it.
 *
 * <p>Not thread-safe; one instance per scan.
 */
final class SegmentScanner {
  static final int WINDOW = 1 << 20;

  private final FileChannel ch;
  private final String name;
  private final long length;
  private ByteBuffer window;
  private long windowStart = 0;
  private int windowLen = 0;
  private final CRC32C crc = new CRC32C();
  private final long[] scratch = new long[1];

  /** The size of a page whose loss a power cut can cause: it reads back as zeros. */
  static final int PAGE = 4096;

  private final boolean last;

  /**
   * @param last whether this is the log's last segment, the only one that can hold bytes that were
   *     never forced (see {@link Recovery} for the torn-write rule)
   */
  SegmentScanner(FileChannel ch, String name, long length, boolean last) {
    this.ch = ch;
    this.name = name;
    this.length = length;
    this.last = last;
  }

  /** A contiguous run of bytes in this segment. */
  record Span(long start, long end, Damage.Kind kind, String detail, long expectedCrc, long actualCrc) {
    long length() {
      return end - start;
    }
  }

  /**
   * What a scan found. {@code valid} are the ranges of checksum-valid, supported records (merged
   * when adjacent); {@code damage} are the spans between them, in order. A trailing span of only
   * zero bytes is not damage: {@code validEnd} then stops before it and {@code zeroTail} is set.
   */
  record Result(
      String name,
      long fileLength,
      long records,
      long validEnd,
      long lastNonZeroEnd,
      List<long[]> valid,
      List<Span> damage,
      long bytesScanned,
      long recordsInTornTail) {

    /** Whether the torn tail holds checksum-valid records: it goes to quarantine, not away. */
    boolean tornTailHoldsRecords() {
      return recordsInTornTail > 0;
    }

    boolean hasRecords() {
      return records > 0;
    }

    /** The last damage span when it runs to the end of the file (a candidate torn tail). */
    Span trailingDamage() {
      if (damage.isEmpty()) {
        return null;
      }
      Span last = damage.get(damage.size() - 1);
      return last.end() >= lastNonZeroEnd && last.start() >= validEnd ? last : null;
    }
  }

  /** Outcome of checking for a record at an offset. */
  private enum Check {
    VALID,
    UNSUPPORTED,
    INVALID
  }

  private long checkedSize;
  private String invalidDetail;
  private long expectedCrc;
  private long actualCrc;

  /** Scans the whole segment; a scanner scans once. */
  Result scan() throws IOException {
    window = BufferPool.take(WINDOW);
    try {
      return doScan();
    } finally {
      BufferPool.give(window);
      BufferPool.give(side);
      window = null;
      side = null;
    }
  }

  private Result doScan() throws IOException {
    List<long[]> valid = new ArrayList<>();
    List<Span> damage = new ArrayList<>();
    long records = 0;
    long p = 0;
    long validEnd = 0;
    long lastNonZeroEnd = 0;
    while (p < length) {
      Check c = check(p);
      if (c == Check.VALID) {
        addValid(valid, p, p + checkedSize);
        records++;
        p += checkedSize;
        validEnd = p;
        lastNonZeroEnd = p;
        continue;
      }
      if (c == Check.UNSUPPORTED) {
        damage.add(
            new Span(
                p,
                p + checkedSize,
                Damage.Kind.UNSUPPORTED_FORMAT,
                "checksum-valid record uses flag bits or a compression code this version does not"
                    + " support",
                -1,
                -1));
        p += checkedSize;
        lastNonZeroEnd = p;
        continue;
      }
      // Damage at p: where does it end?
      String detail = invalidDetail;
      long exp = expectedCrc;
      long act = actualCrc;
      long nonZero = lastNonZeroFrom(p);
      if (nonZero <= p) {
        // Nothing but zeros to the end: a preallocated tail, the clean end of the log.
        break;
      }
      long resume = findNextRecord(p + 1, nonZero);
      if (resume < 0) {
        damage.add(new Span(p, nonZero, Damage.Kind.TORN_TAIL, detail, exp, act));
        lastNonZeroEnd = nonZero;
        break;
      }
      damage.add(new Span(p, resume, Damage.Kind.CORRUPT, detail, exp, act));
      p = resume;
    }
    if (last && !damage.isEmpty() && damage.get(0).kind() == Damage.Kind.CORRUPT) {
      Span first = damage.get(0);
      if (lostWriteExplains(first.start())) {
        return tornFrom(first, valid, records, lastNonZeroEnd);
      }
    }
    return new Result(name, length, records, validEnd, lastNonZeroEnd, valid, damage, length, 0);
  }

  /**
   * The scan of a last segment whose damage, from {@code first} on, is a lost write: everything
   * from its start is one torn tail, and the checksum-valid records found inside it are counted so
   * that recovery quarantines the tail instead of deleting it.
   */
  private Result tornFrom(Span first, List<long[]> valid, long records, long lastNonZeroEnd) {
    long p = first.start();
    List<long[]> kept = new ArrayList<>();
    long keptRecords = 0;
    for (long[] v : valid) {
      if (v[1] <= p) {
        kept.add(v);
        keptRecords += v[2];
      }
    }
    long inside = records - keptRecords;
    String detail =
        first.detail()
            + "; a lost write (zero-filled pages or a record cut off by the end of the written data)"
            + " in the last segment, so a torn tail"
            + (inside > 0
                ? " holding " + inside + " checksum-valid record(s), moved to quarantine/"
                : "");
    Span torn =
        new Span(
            p, Math.max(lastNonZeroEnd, p + 1), Damage.Kind.TORN_TAIL, detail, first.expectedCrc(), first.actualCrc());
    return new Result(name, length, keptRecords, p, torn.end(), kept, List.of(torn), length, inside);
  }

  /**
   * Whether the bad record at {@code p} in the last segment is what a lost write leaves: either its
   * extent (by its own header) runs past the last non-zero byte of the file or past its end (the
   * write stopped inside it), or its extent meets a run of zeros that covers a whole aligned {@link
   * #PAGE}, or that starts at {@code p} and ends on a page boundary (the page holding the last forced
   * byte, lost after it). Rot in forced bytes (a flipped bit, a zeroed 512-byte sector) leaves
   * none of these, unless the record's own value holds a zero-filled page.
   */
  private boolean lostWriteExplains(long p) throws IOException {
    fill(p, RecordFormat.MAX_HEADER_SIZE);
    int off = (int) (p - windowStart);
    int avail = (int) Math.min(windowLen - off, length - p);
    RecordFormat.Header h = RecordFormat.parseHeader(window, off, off + avail, scratch);
    long end;
    // Keys and values are Java arrays: a header claiming more cannot come from a writer.
    boolean writable =
        h.klen() >= 0 && h.vlen() >= 0 && h.klen() < Integer.MAX_VALUE && h.vlen() < Integer.MAX_VALUE;
    if (h.status() == RecordFormat.Status.OK && writable) {
      end = p + h.totalSize();
      if (h.totalSize() <= 0 || end > length || end > lastNonZeroFrom(p)) {
        return true;
      }
    } else if (h.status() == RecordFormat.Status.INCOMPLETE) {
      return true;
    } else {
      end = Math.min(length, p + RecordFormat.MAX_HEADER_SIZE);
    }
    end = Math.max(end, p + 1);
    long q = p;
    while (q < end) {
      if (byteAt(q) != 0) {
        q++;
        continue;
      }
      long zs = q;
      long ze = q;
      while (ze < length && byteAt(ze) == 0) {
        ze++;
      }
      long firstPage = (zs + PAGE - 1) / PAGE * PAGE;
      if (firstPage + PAGE <= ze || (zs == p && ze % PAGE == 0)) {
        return true;
      }
      q = ze;
    }
    return false;
  }

  private byte byteAt(long q) throws IOException {
    fill(q, 1);
    return window.get((int) (q - windowStart));
  }

  /** Valid ranges are {start, end, records}; adjacent ones are merged. */
  private static void addValid(List<long[]> valid, long start, long end) {
    if (!valid.isEmpty()) {
      long[] last = valid.get(valid.size() - 1);
      if (last[1] == start) {
        last[1] = end;
        last[2]++;
        return;
      }
    }
    valid.add(new long[] {start, end, 1});
  }

  /** End offset of the last non-zero byte at or after {@code from}, or {@code from} if none. */
  private long lastNonZeroFrom(long from) throws IOException {
    long lastEnd = from;
    long p = from;
    while (p < length) {
      fill(p, 1);
      int off = (int) (p - windowStart);
      for (int i = windowLen - 1; i >= off; i--) {
        if (window.get(i) != 0) {
          lastEnd = windowStart + i + 1;
          break;
        }
      }
      p = windowStart + windowLen;
    }
    return lastEnd;
  }

  /** The first offset in [from, limit) where a checksum-valid record starts, or -1. */
  private long findNextRecord(long from, long limit) throws IOException {
    for (long c = from; c < limit; c++) {
      fill(c, RecordFormat.MIN_RECORD_SIZE);
      int off = (int) (c - windowStart);
      int avail = windowLen - off;
      if (avail >= RecordFormat.MIN_RECORD_SIZE && zeroRun(off, RecordFormat.MIN_RECORD_SIZE)) {
        // A record starting inside a zero run of 7 bytes would be klen=vlen=flags=crc=0: never
        // valid. Skip ahead to the end of the run.
        int i = off;
        while (i < windowLen && window.get(i) == 0) {
          i++;
        }
        c = windowStart + i - RecordFormat.MIN_RECORD_SIZE; // loop's c++ lands 6 before non-zero
        continue;
      }
      Check k = check(c, true);
      if (k != Check.INVALID) {
        return c;
      }
    }
    return -1;
  }

  private boolean zeroRun(int off, int n) {
    for (int i = 0; i < n; i++) {
      if (window.get(off + i) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Checks the record at {@code p}; sets {@link #checkedSize} or the invalid detail. */
  private Check check(long p) throws IOException {
    return check(p, false);
  }

  /**
   * Checks the record at {@code p}. When {@code resync} is set (searching for valid data after
   * damage) cheap plausibility filters run before the CRC: the flags must be supported and the
   * bytes after the candidate must start another plausible record, be zeros or be the end of the
   * file. That keeps the search over a large damaged span from checksumming megabytes per offset.
   */
  private Check check(long p, boolean resync) throws IOException {
    fill(p, RecordFormat.MAX_HEADER_SIZE);
    int off = (int) (p - windowStart);
    int avail = (int) Math.min(windowLen - off, length - p);
    RecordFormat.Header h = RecordFormat.parseHeader(window, off, off + avail, scratch);
    expectedCrc = -1;
    actualCrc = -1;
    if (h.status() == RecordFormat.Status.INCOMPLETE) {
      invalidDetail = "record header is cut off by the end of the file";
      return Check.INVALID;
    }
    if (h.status() == RecordFormat.Status.VARINT_OVERFLOW) {
      invalidDetail = "record header has a varint longer than 10 bytes";
      return Check.INVALID;
    }
    if (h.klen() < 0 || h.vlen() < 0 || h.klen() > length || h.vlen() > length) {
      invalidDetail =
          "record claims lengths key=" + h.klen() + " value=" + h.vlen() + " beyond the file";
      return Check.INVALID;
    }
    long total = h.totalSize();
    if (total > length - p) {
      invalidDetail =
          "record of " + total + " bytes runs past the end of the file (" + (length - p) + " left)";
      return Check.INVALID;
    }
    if (resync && (!RecordFormat.supportedFlags(h.flags()) || !plausibleFollower(p + total))) {
      return Check.INVALID;
    }
    long covered = total - RecordFormat.CRC_SIZE;
    crc.reset();
    int stored;
    if (p + total <= windowStart + windowLen) {
      window.limit(off + (int) covered).position(off);
      crc.update(window);
      window.limit(window.capacity()).position(0);
      stored = RecordFormat.storedCrc(window, off + (int) covered);
    } else {
      stored = streamCrc(p, covered);
    }
    int computed = (int) crc.getValue();
    if (stored != computed) {
      expectedCrc = Integer.toUnsignedLong(stored);
      actualCrc = Integer.toUnsignedLong(computed);
      invalidDetail =
          String.format(
              "CRC32C mismatch: stored %08x, computed %08x over %d bytes",
              stored, computed, covered);
      return Check.INVALID;
    }
    checkedSize = total;
    return RecordFormat.supportedFlags(h.flags()) ? Check.VALID : Check.UNSUPPORTED;
  }

  private ByteBuffer side;

  /** CRC of a record too large for the window, read through a side buffer; returns stored CRC. */
  private int streamCrc(long p, long covered) throws IOException {
    if (side == null) {
      side = BufferPool.take(256 * 1024);
    }
    long q = p;
    long remaining = covered;
    while (remaining > 0) {
      side.clear();
      side.limit((int) Math.min(side.capacity(), remaining));
      int n = Fs.readFully(ch, side, q);
      if (n < side.limit()) {
        throw new IOException(name + ": file shrank while being read at offset " + (q + n));
      }
      side.flip();
      crc.update(side);
      q += n;
      remaining -= n;
    }
    side.clear();
    side.limit(RecordFormat.CRC_SIZE);
    if (Fs.readFully(ch, side, q) < RecordFormat.CRC_SIZE) {
      throw new IOException(name + ": file shrank while being read at offset " + q);
    }
    return RecordFormat.storedCrc(side, 0);
  }

  /** Whether the bytes at {@code end} could follow a real record. */
  private boolean plausibleFollower(long end) throws IOException {
    if (end >= length) {
      return true;
    }
    ByteBuffer b;
    int off;
    int n;
    if (end >= windowStart && end + RecordFormat.MAX_HEADER_SIZE <= windowStart + windowLen) {
      b = window;
      off = (int) (end - windowStart);
      n = RecordFormat.MAX_HEADER_SIZE;
    } else {
      b = ByteBuffer.allocate(RecordFormat.MAX_HEADER_SIZE);
      n = Fs.readFully(ch, b, end);
      off = 0;
    }
    boolean zeros = true;
    for (int i = 0; i < Math.min(n, RecordFormat.MIN_RECORD_SIZE); i++) {
      zeros &= b.get(off + i) == 0;
    }
    if (zeros) {
      return true;
    }
    RecordFormat.Header h = RecordFormat.parseHeader(b, off, off + n, scratch);
    // A follower may itself be torn (its lengths run past the end), so lengths are not checked.
    return h.status() == RecordFormat.Status.INCOMPLETE
        || (h.status() == RecordFormat.Status.OK && RecordFormat.supportedFlags(h.flags()));
  }

  /** Makes the window hold at least {@code n} bytes from {@code p} (or up to end of file). */
  private void fill(long p, int n) throws IOException {
    long want = Math.min(n, length - p);
    if (p >= windowStart && p + want <= windowStart + windowLen) {
      return;
    }
    window.clear();
    int toRead = (int) Math.min(WINDOW, length - p);
    window.limit(toRead);
    int got = Fs.readFully(ch, window, p);
    windowStart = p;
    windowLen = got;
    if (got < want) {
      throw new IOException(
          name + ": file shrank while being read at offset " + (p + got) + " (expected " + length + " bytes)");
    }
  }
}
