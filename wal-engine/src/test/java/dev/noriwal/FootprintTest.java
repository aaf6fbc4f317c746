package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a log holds while it does little: disk ahead of its records, staging memory, threads. The
 * active segment is zero-filled ahead in steps rather than whole at open, staging chunks go back to
 * the JVM-wide pool when the log is idle, and segment preparation runs on a shared pool.
 */
class FootprintTest {
  @TempDir Path dir;

  static long bytesIn(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      long n = 0;
      for (Path p : s.toList()) {
        if (p.getFileName().toString().contains(".wal")) {
          n += Files.size(p);
        }
      }
      return n;
    }
  }

  @Test
  void anIdleLogWithTheDefaultSegmentSizeHoldsItsRecordsPlusABoundedZeroFilledStep()
      throws Exception {
    WalConfig config = WalConfig.builder(dir).fsyncPolicy(FsyncPolicy.always()).build();
    try (Wal wal = Wal.open(config)) {
      assertTrue(bytesIn(dir) <= SegmentPreparer.FIRST_STEP, "open zero-fills one first step");
      wal.append(WalRecord.put(new byte[] {1}, new byte[100]));
      wal.sync();
      long held = bytesIn(dir);
      assertTrue(
          held <= SegmentPreparer.FIRST_STEP + SegmentWriter.MAX_STEP,
          "held " + held + " bytes, not the 128 MiB segment");
      try (Stream<Path> s = Files.list(dir)) {
        assertFalse(
            s.anyMatch(p -> p.getFileName().toString().startsWith("000001")),
            "no next segment is prepared for a log far from its segment's end");
      }
    }
  }

  @Test
  void underOsNoSegmentIsZeroFilledAheadAndItsRecordsSurviveACrash() throws Exception {
    // preallocate is on (the default): os() skips the zero-fill anyway (CommitRule#zeroFillsAhead).
    WalConfig config =
        WalConfig.builder(dir).fsyncPolicy(FsyncPolicy.os()).maxSegmentSize(1L << 20).build();
    assertTrue(config.preallocate());
    SegmentedWal wal = SegmentedWal.open(config);
    assertEquals(0, bytesIn(dir), "open creates the first segment empty");
    int n = 3000; // about 1.5 MiB of 500-byte values: the first segment, then the second one
    for (int i = 0; i < n; i++) {
      wal.append(
          WalRecord.put(Integer.toString(i).getBytes(StandardCharsets.UTF_8), new byte[500]));
    }
    wal.flush();
    Position end = wal.currentPosition();
    assertTrue(end.segmentId() >= 1, "the log rotated");
    List<SegmentInfo> segments = wal.segments();
    Path active = dir.resolve(segments.get(segments.size() - 1).fileName());
    assertEquals(end.offset(), Files.size(active), "nothing ahead of the writer's last byte");
    wal.sync(); // os() promises nothing before a sync; after it, every record must come back
    wal.crashForTesting();
    assertReopensWithKeysUpTo(config, n);
  }

  /**
   * Reopens the log and reads it whole: its keys are "0" to {@code n - 1} in order. Returns its
   * segment count.
   */
  private static int assertReopensWithKeysUpTo(WalConfig config, int n) throws IOException {
    try (Wal reopened = Wal.open(config);
        WalReader r = reopened.readFrom(Position.START)) {
      int seen = 0;
      for (WalEntry e; (e = r.next()) != null; seen++) {
        assertEquals(Integer.toString(seen), new String(e.record().key(), StandardCharsets.UTF_8));
      }
      assertEquals(n, seen);
      return reopened.segments().size();
    }
  }

  @Test
  void recordsWrittenAcrossManyZeroFillStepsAndARotationSurviveACrash() throws Exception {
    WalConfig config =
        WalConfig.builder(dir).fsyncPolicy(FsyncPolicy.always()).maxSegmentSize(4L << 20).build();
    SegmentedWal wal = SegmentedWal.open(config);
    byte[] value = new byte[4000];
    int n = 1500; // about 6 MiB: several steps of the first segment, then the second one
    for (int i = 0; i < n; i++) {
      value[0] = (byte) i;
      wal.append(WalRecord.put(Integer.toString(i).getBytes(StandardCharsets.UTF_8), value));
    }
    wal.crashForTesting();
    assertTrue(assertReopensWithKeysUpTo(config, n) >= 2, "the log rotated");
  }

  @Test
  void appendsThatOutrunASlowZeroFillWritePastItAndSurviveACrashAcrossRotations() throws Exception {
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    plan.zeroWriteDelayMillis = 200; // zeros at ~5 MB/s: the appends below outrun them
    WalConfig config =
        WalConfig.builder(dir).fsyncPolicy(FsyncPolicy.always()).maxSegmentSize(2L << 20).build();
    SegmentedWal wal = SegmentedWal.open(config, plan.opener());
    byte[] value = new byte[4000];
    int n = 1500; // about 6 MiB: three segments
    for (int i = 0; i < n; i++) {
      value[0] = (byte) i;
      wal.append(WalRecord.put(Integer.toString(i).getBytes(StandardCharsets.UTF_8), value));
    }
    wal.crashForTesting();
    plan.zeroWriteDelayMillis = 0;
    try (Wal reopened = Wal.open(config);
        WalReader r = reopened.readFrom(Position.START)) {
      int seen = 0;
      for (WalEntry e; (e = r.next()) != null; seen++) {
        assertEquals(Integer.toString(seen), new String(e.record().key(), StandardCharsets.UTF_8));
        assertEquals((byte) seen, e.record().value()[0]);
      }
      assertEquals(n, seen);
      assertTrue(reopened.segments().size() >= 3, "the log rotated");
    }
  }

  @Test
  void anIdleLogGivesItsStagingChunkBackAndTakesOneOnTheNextAppend() throws Exception {
    WalConfig config = WalConfig.builder(dir).maxSegmentSize(1 << 20).build();
    try (SegmentedWal wal = SegmentedWal.open(config)) {
      assertFalse(wal.holdsStagingChunks(), "no chunk before the first append");
      wal.append(WalRecord.put(new byte[] {1}, new byte[100]));
      wal.sync();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (wal.holdsStagingChunks() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertFalse(wal.holdsStagingChunks(), "an idle log holds no staging chunk");
      wal.append(WalRecord.put(new byte[] {2}, new byte[100]));
      wal.sync();
      try (WalReader r = wal.readFrom(Position.START)) {
        assertEquals(1, r.next().record().key()[0]);
        assertEquals(2, r.next().record().key()[0]);
      }
    }
  }

  @Test
  void manyLogsShareASmallPoolOfPreparationThreads() throws Exception {
    List<Wal> logs = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        Wal wal =
            Wal.open(WalConfig.builder(dir.resolve("log" + i)).maxSegmentSize(1 << 20).build());
        logs.add(wal);
        for (int j = 0; j < 3; j++) {
          wal.appendBatch(List.of(WalRecord.put(new byte[] {1}, new byte[200_000])));
        }
        wal.sync();
      }
      long preparers =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith("nori-wal-prepare"))
              .count();
      assertTrue(preparers <= 2, preparers + " preparation threads for 40 logs");
    } finally {
      for (Wal wal : logs) {
        wal.close();
      }
    }
  }
}
