package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Streams through one segment file, checking every record with the {@link RecordValidator} through
 * a bounded buffer (records larger than the buffer are checksummed in pieces), and finds where
 * damage starts and where valid records resume after it; whether damage in the last segment is a
 * lost write is {@link LostWrite}'s rule.
 *
 * <p>Not thread-safe; one instance per scan.
 */
final class SegmentScanner {
  static final int WINDOW = 1 << 20;

  private final FileChannel ch;
  private final String name;
  private final long length;
  private ByteBuffer window = NONE;

  /** What {@link #window} and {@link #side} are when not taken from the pool. */
  private static final ByteBuffer NONE = ByteBuffer.allocate(0);

  private long windowStart = 0;
  private int windowLen = 0;
  private final RecordValidator validator = new RecordValidator();

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
  record Span(
      long start, long end, Damage.Kind kind, String detail, long expectedCrc, long actualCrc) {
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
    @Nullable Span trailingDamage() {
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
  private String invalidDetail = "";
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
      window = NONE;
      side = NONE;
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
      if (LostWrite.explains(this, first.start())) {
        return LostWrite.tornFrom(this, first, valid, records, lastNonZeroEnd);
      }
    }
    return new Result(name, length, records, validEnd, lastNonZeroEnd, valid, damage, length, 0);
  }

  /** The header at {@code p} (lengths unchecked); the validator then describes it. */
  RecordValidator.Verdict headerAt(long p) throws IOException {
    fill(p, RecordFormat.MAX_HEADER_SIZE);
    int off = (int) (p - windowStart);
    return validator.header(window, off, (int) Math.min(windowLen - off, length - p));
  }

  RecordValidator validator() {
    return validator;
  }

  String name() {
    return name;
  }

  long length() {
    return length;
  }

  byte byteAt(long q) throws IOException {
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
  long lastNonZeroFrom(long from) throws IOException {
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
   * Checks the record at {@code p} with the {@link RecordValidator}. When {@code resync} is set
   * (searching for valid data after damage) cheap plausibility filters run before the CRC: the
   * flags must be supported and the bytes after the candidate must start another plausible record,
   * be zeros or be the end of the file. That keeps the search over a large damaged span from
   * checksumming megabytes per offset.
   */
  private Check check(long p, boolean resync) throws IOException {
    fill(p, RecordFormat.MAX_HEADER_SIZE);
    int off = (int) (p - windowStart);
    expectedCrc = -1;
    actualCrc = -1;
    RecordValidator.Verdict v = validator.frame(window, off, windowLen - off, length - p);
    if (v != RecordValidator.Verdict.VALID) {
      invalidDetail = validator.detail(v);
      return Check.INVALID;
    }
    long total = validator.totalSize();
    if (resync
        && (!RecordFormat.supportedFlags(validator.flags()) || !plausibleFollower(p + total))) {
      return Check.INVALID;
    }
    if (resync) {
      validator.frame(window, off, windowLen - off, length - p); // the follower's parse replaced it
    }
    if (p + total <= windowStart + windowLen) {
      v = validator.checksum(window, off);
    } else {
      v = streamCrc(p, validator.coveredSize());
    }
    if (v == RecordValidator.Verdict.CHECKSUM_MISMATCH) {
      expectedCrc = validator.storedCrc();
      actualCrc = validator.computedCrc();
      invalidDetail = validator.detail(v);
      return Check.INVALID;
    }
    checkedSize = total;
    return v == RecordValidator.Verdict.VALID ? Check.VALID : Check.UNSUPPORTED;
  }

  private ByteBuffer side = NONE;

  /** Checksums a record too large for the window through a side buffer. */
  @SuppressWarnings("ReferenceEquality") // which buffer, not what it holds
  private RecordValidator.Verdict streamCrc(long p, long covered) throws IOException {
    if (side == NONE) {
      side = BufferPool.take(256 * 1024);
    }
    validator.beginCrc();
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
      validator.updateCrc(side);
      q += n;
      remaining -= n;
    }
    side.clear();
    side.limit(RecordFormat.CRC_SIZE);
    if (Fs.readFully(ch, side, q) < RecordFormat.CRC_SIZE) {
      throw new IOException(name + ": file shrank while being read at offset " + q);
    }
    return validator.endCrc(RecordFormat.storedCrc(side, 0));
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
    // A follower may itself be torn (its lengths run past the end), so lengths are not checked.
    RecordValidator.Verdict v = validator.header(b, off, n);
    return v == RecordValidator.Verdict.HEADER_CUT_OFF
        || (v == RecordValidator.Verdict.VALID && RecordFormat.supportedFlags(validator.flags()));
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
          name
              + ": file shrank while being read at offset "
              + (p + got)
              + " (expected "
              + length
              + " bytes)");
    }
  }
}
