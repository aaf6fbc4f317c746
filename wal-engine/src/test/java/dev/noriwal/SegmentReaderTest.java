package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9: the read path hands out what it read, without allocating per record behind it. */
class SegmentReaderTest {
  @TempDir Path dir;

  private static byte[] key(int i) {
    return new byte[] {(byte) i, (byte) (i >>> 8), (byte) (i >>> 16)};
  }

  private static byte[] value(int i, int size) {
    byte[] v = new byte[size];
    new Random(i).nextBytes(v);
    return v;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void viewsAreReadOnlySlicesAtZeroAcrossWindowEdgesAndAfterARecordLargerThanTheWindow()
      throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      sizes.add(i == 1200 ? (3 << 20) / 2 : 997); // 997 B: records straddle every window edge
    }
    try (Wal wal = Wal.open(WalConfig.builder(dir).fsyncPolicy(FsyncPolicy.os()).build())) {
      for (int i = 0; i < sizes.size(); i++) {
        wal.append(WalRecord.put(key(i), value(i, sizes.get(i))));
      }
      wal.sync();
      int[] seen = {0};
      try (WalReader r = wal.readFrom(Position.START)) {
        while (r.poll(
                v -> {
                  int i = seen[0]++;
                  ByteBuffer k = v.key();
                  ByteBuffer val = v.value();
                  assertTrue(k.isReadOnly() && val.isReadOnly(), "record " + i + " is read-only");
                  assertEquals(0, k.position(), "key of record " + i + " is positioned at 0");
                  assertEquals(0, val.position(), "value of record " + i + " is positioned at 0");
                  assertArrayEquals(key(i), bytes(k), "key of record " + i);
                  assertArrayEquals(value(i, sizes.get(i)), bytes(val), "value of record " + i);
                },
                Integer.MAX_VALUE)
            > 0) {
          // until caught up
        }
      }
      assertEquals(sizes.size(), seen[0]);
    }
  }

  @Test
  void aPassThroughRecordViewsAllocatesNothingPerRecord() throws Exception {
    int records = 20_000;
    byte[] value = value(7, 1000);
    try (Wal wal = Wal.open(WalConfig.builder(dir).fsyncPolicy(FsyncPolicy.os()).build())) {
      for (int i = 0; i < records; i++) {
        wal.append(WalRecord.put(key(i), value));
      }
      wal.sync();
      long[] count = new long[1];
      RecordView.Handler handler = v -> count[0] += v.isTombstone() ? 0 : 1;
      long allocated = Long.MAX_VALUE;
      for (int pass = 0; pass < 3; pass++) { // the first pass also loads classes
        count[0] = 0;
        long before = ThreadAllocation.allocatedByThisThread();
        try (WalReader r = wal.readFrom(Position.START)) {
          while (r.poll(handler, Integer.MAX_VALUE) > 0) {
            // until caught up
          }
        }
        allocated = Math.min(allocated, ThreadAllocation.allocatedByThisThread() - before);
        assertEquals(records, count[0]);
      }
      // Opening a reader allocates a few objects once; any per-record object (16 B at least)
      // would add 320,000 bytes.
      assertTrue(
          allocated < 64 * 1024,
          "a pass over " + records + " records allocated " + allocated + " bytes");
    }
  }

  @Test
  void nextChainsPositionsAcrossWindowEdgesAndSegmentsAndCopiesEachRecordOnce() throws Exception {
    int records = 6_000; // ~6 MiB in 1 MiB segments: several rotations and window edges
    List<Position> appended = new ArrayList<>();
    try (Wal wal =
        Wal.open(
            WalConfig.builder(dir).fsyncPolicy(FsyncPolicy.os()).maxSegmentSize(1 << 20).build())) {
      for (int i = 0; i < records; i++) {
        appended.add(wal.append(WalRecord.put(key(i), value(i, 997))));
      }
      wal.sync();
      long allocated = Long.MAX_VALUE;
      for (int pass = 0; pass < 3; pass++) { // the first pass also loads classes
        int i = 0;
        Position expected = appended.get(0);
        long before = ThreadAllocation.allocatedByThisThread();
        try (WalReader r = wal.readFrom(Position.START)) {
          for (WalEntry e; (e = r.next()) != null; i++) {
            // Checked without building a message per record, which would count as allocated.
            Position at = e.position();
            boolean chained =
                at.segmentId() == expected.segmentId() ? at.equals(expected) : at.offset() == 0;
            long end = at.offset() + RecordFormat.encodedSize(e.record(), 997);
            if (!at.equals(appended.get(i))
                || !chained
                || e.next().segmentId() != at.segmentId()
                || e.next().offset() != end
                || e.record().key().length != 3
                || e.record().value().length != 997) {
              fail("record " + i + " read as " + e + " after " + expected);
            }
            expected = e.next();
          }
        }
        allocated = Math.min(allocated, ThreadAllocation.allocatedByThisThread() - before);
        assertEquals(records, i);
      }
      // What next() promises costs a key and a value array per record (~1,040 B here) and an
      // entry, a record and a position or two; a second copy of the value would add 1,000 B.
      long perRecord = allocated / records;
      assertTrue(perRecord < 997 + 256, "next() allocated " + perRecord + " B per record");
    }
  }
}
