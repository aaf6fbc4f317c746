package dev.noriwal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The torn-write rule for the last segment, by the geometry of a lost write: whether a bad record
 * there is what a crash or a power cut leaves, as opposed to rot in forced bytes.
 *
 * <p>What the writer guarantees, and so what the rule may rely on (see {@link Recovery} for the
 * whole classification):
 *
 * <ul>
 *   <li>Only the last segment can hold bytes that were never forced; every earlier one was trimmed
 *       and forced whole before its successor's file existed.
 *   <li>After a process crash (kill -9) the page cache survives: the data reads as written up to
 *       where the last write stopped, so a torn record runs past the last non-zero byte of the file
 *       or past its end.
 *   <li>After a power cut each unforced {@link #PAGE} reads back as written or as its last forced
 *       contents, in any subset. Segments are zero-filled before use, so a lost page reads as
 *       zeros: a run of zeros covering a whole aligned page, or running from the bad record's start
 *       to a page boundary (the page that held the last forced byte, whose later part was lost).
 * </ul>
 *
 * <p>So a bad record in the last segment is a lost write when, by its own header, its extent runs
 * past the last non-zero byte or the end of the file (or its header is cut off by the end of the
 * file), or when its extent meets one of those zero runs. A flipped bit or a zeroed 512-byte sector
 * in forced bytes shows none of these shapes. Only the bad record's own header is read, never the
 * contents of values: a torn write whose value carries encoded records is still a torn write.
 *
 * <p>Limits: rot in a record whose own value holds a zero-filled page, or that flips a length so
 * the record runs past the written data, is read as a torn tail; the tail then goes to quarantine
 * when it holds checksum-valid records, so nothing checksum-valid is lost either way.
 *
 * <p>Stateless; used by the {@link SegmentScanner} of one scan, on its thread.
 */
final class LostWrite {
  /** The size of a page whose loss a power cut can cause: it reads back as zeros. */
  static final int PAGE = 4096;

  private LostWrite() {}

  /**
   * Whether the bad record at {@code p} in the scanned last segment is what a lost write leaves.
   */
  static boolean explains(SegmentScanner s, long p) throws IOException {
    long length = s.length();
    RecordValidator.Verdict v = s.headerAt(p);
    RecordValidator h = s.validator();
    long end;
    // Keys and values are Java arrays: a header claiming more cannot come from a writer.
    boolean writable =
        h.keyLength() >= 0
            && h.valueLength() >= 0
            && h.keyLength() < Integer.MAX_VALUE
            && h.valueLength() < Integer.MAX_VALUE;
    if (v == RecordValidator.Verdict.VALID && writable) {
      long total = h.totalSize();
      end = p + total;
      if (total <= 0 || end > length || end > s.lastNonZeroFrom(p)) {
        return true;
      }
    } else if (v == RecordValidator.Verdict.HEADER_CUT_OFF) {
      return true;
    } else {
      end = Math.min(length, p + RecordFormat.MAX_HEADER_SIZE);
    }
    end = Math.max(end, p + 1);
    long q = p;
    while (q < end) {
      if (s.byteAt(q) != 0) {
        q++;
        continue;
      }
      long zs = q;
      long ze = q;
      while (ze < length && s.byteAt(ze) == 0) {
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

  /**
   * The scan of a last segment whose damage, from {@code first} on, is a lost write: everything
   * from its start is one torn tail, and the checksum-valid records found inside it are counted so
   * that recovery quarantines the tail instead of deleting it.
   */
  static SegmentScanner.Result tornFrom(
      SegmentScanner s,
      SegmentScanner.Span first,
      List<long[]> valid,
      long records,
      long lastNonZeroEnd) {
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
            + "; a lost write (zero-filled pages or a record cut off by the end of the written"
            + " data) in the last segment, so a torn tail"
            + (inside > 0
                ? " holding " + inside + " checksum-valid record(s), moved to quarantine/"
                : "");
    SegmentScanner.Span torn =
        new SegmentScanner.Span(
            p,
            Math.max(lastNonZeroEnd, p + 1),
            Damage.Kind.TORN_TAIL,
            detail,
            first.expectedCrc(),
            first.actualCrc());
    return new SegmentScanner.Result(
        s.name(), s.length(), keptRecords, p, torn.end(), kept, List.of(torn), s.length(), inside);
  }
}
