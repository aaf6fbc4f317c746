package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
  static final long MIB = 1 << 20;
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  WalConfig.Builder config() {
    return WalConfig.builder(dir).maxSegmentSize(MIB);
  }

  static List<WalEntry> readAll(Wal wal) throws IOException {
    List<WalEntry> out = new ArrayList<>();
    try (WalReader r = wal.readFrom(Position.START)) {
      for (WalEntry e; (e = r.next()) != null; ) {
        out.add(e);
      }
    }
    return out;
  }

  @Test
  void appendedRecordsSurviveReopenInOrderWithTheirPositions() throws Exception {
    List<Position> positions = new ArrayList<>();
    try (Wal wal = Wal.open(config().fsyncPolicy(FsyncPolicy.always()).build())) {
      for (int i = 0; i < 100; i++) {
        positions.add(wal.append(WalRecord.put(b("k" + i), b("value-" + i))));
      }
    }
    try (Wal wal = Wal.open(config().build())) {
      List<WalEntry> all = readAll(wal);
      assertEquals(100, all.size());
      for (int i = 0; i < 100; i++) {
        assertEquals(positions.get(i), all.get(i).position());
        assertArrayEquals(b("value-" + i), all.get(i).record().value());
      }
      assertTrue(
          wal.recoveryInfo().scanSkipped(), "a clean close lets the next open skip the scan");
      assertEquals(100, wal.recoveryInfo().validRecords());
    }
  }

  @Test
  void rotatesWhenASegmentIsFullAndReadersCrossSegments() throws Exception {
    byte[] value = new byte[100_000];
    try (Wal wal = Wal.open(config().fsyncPolicy(FsyncPolicy.os()).build())) {
      for (int i = 0; i < 35; i++) {
        wal.append(WalRecord.put(b("k" + i), value));
      }
      wal.sync();
      List<SegmentInfo> segs = wal.segments();
      assertEquals(4, segs.size(), segs.toString());
      for (int i = 0; i < 3; i++) {
        assertTrue(segs.get(i).sealed());
        assertTrue(segs.get(i).size() <= MIB);
        assertEquals(
            segs.get(i).size(),
            Files.size(dir.resolve(segs.get(i).fileName())),
            "sealed segments are trimmed");
      }
      assertEquals(35, readAll(wal).size());
      assertEquals(3, wal.stats().rotations());
    }
    try (Wal wal = Wal.open(config().build())) {
      assertEquals(35, readAll(wal).size());
    }
  }

  @Test
  void verifyCountsRecordBytesAndFreePreallocatedSpaceApart() throws Exception {
    try (Wal wal = Wal.open(config().fsyncPolicy(FsyncPolicy.always()).build())) {
      for (int i = 0; i < 3; i++) {
        wal.append(WalRecord.put(b("k" + i), new byte[500]));
      }
      long written = wal.currentPosition().offset();
      RecoveryInfo info = Wal.verify(dir);
      assertEquals(written, info.recordBytes());
      // The active segment is zero-filled ahead of the records in steps (in the background).
      assertTrue(info.freeBytes() > 0, "the zero-filled space ahead counts apart from records");
      assertTrue(
          info.report().contains("(records: " + written + ", free preallocated space: "),
          info.report());
    }
  }

  @Test
  void retentionClaimKeepsSegmentsItsHolderStillNeedsAndDeletionNamesIt() throws Exception {
    try (Wal wal = Wal.open(config().build())) {
      List<Position> starts = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        starts.add(wal.append(WalRecord.put(b("k" + i), new byte[100])));
        wal.rotate();
      }
      java.util.concurrent.atomic.AtomicReference<Position> relayAt =
          new java.util.concurrent.atomic.AtomicReference<>(starts.get(1));
      RetentionClaim claim = wal.retain("relay", relayAt::get);
      assertEquals("relay", claim.holder());

      SegmentDeletion d = wal.deleteSegmentsBefore(wal.currentPosition());
      assertEquals(1, d.deleted(), "segment 0 is published, segment 1 is not");
      assertEquals(List.of("relay"), d.heldBy());
      assertEquals(new Position(1, 0), d.appliedBefore());
      assertEquals(wal.currentPosition(), d.requested());
      assertEquals(1L, wal.segments().get(0).id());

      relayAt.set(starts.get(3));
      d = wal.deleteSegmentsBefore(new Position(2, 0));
      assertEquals(1, d.deleted());
      assertFalse(d.held(), "the claim lies beyond what was asked");

      claim.close();
      claim.close();
      d = wal.deleteSegmentsBefore(wal.currentPosition());
      assertEquals(2, d.deleted(), "segments 2 and 3");
      assertFalse(d.held());
      assertEquals(1, wal.segments().size());
    }
  }

  @Test
  void deleteSegmentsBeforeCurrentPositionRemovesEverySealedSegment() throws Exception {
    List<Long> deleted = new CopyOnWriteArrayList<>();
    try (Wal wal =
        Wal.open(
            config()
                .listener(
                    e -> {
                      if (e instanceof WalEvent.SegmentDeleted d) {
                        deleted.add(d.segmentId());
                      }
                    })
                .build())) {
      for (int i = 0; i < 4; i++) {
        wal.append(WalRecord.put(b("k" + i), new byte[1000]));
        wal.rotate();
      }
      wal.append(WalRecord.put(b("last"), b("v")));
      assertEquals(5, wal.segments().size());
      assertEquals(2, wal.deleteSegmentsBefore(new Position(2, 0)).deleted());
      assertEquals(List.of(0L, 1L), deleted);
      assertEquals(2, wal.deleteSegmentsBefore(wal.currentPosition()).deleted());
      assertEquals(1, wal.segments().size(), "only the active segment is left");
      assertEquals(0, wal.deleteSegmentsBefore(wal.currentPosition()).deleted());
      wal.sync();
      List<WalEntry> rest = readAll(wal);
      assertEquals(1, rest.size());
      assertArrayEquals(b("last"), rest.get(0).record().key());
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.filter(p -> p.toString().endsWith(".wal")).count());
    }
  }

  @Test
  void aSecondOpenOfTheSameDirectoryFailsFastNamingIt() throws Exception {
    try (Wal wal = Wal.open(config().build())) {
      assertEquals(WalState.OPEN, wal.state());
      IOException e = assertThrows(IOException.class, () -> Wal.open(config().build()));
      assertTrue(e.getMessage().contains(dir.toRealPath().toString()), e.getMessage());
      assertTrue(e.getMessage().contains("pid"), e.getMessage());
    }
    Wal.open(config().build()).close();
  }

  @Test
  void batchPolicyForcesWithinTheWindowWithoutAnotherAppend() throws Exception {
    try (Wal wal =
        Wal.open(config().fsyncPolicy(FsyncPolicy.batch(Duration.ofMillis(20))).build())) {
      long before = wal.stats().fsyncCount();
      CompletableFuture<Position> f = wal.appendAsync(WalRecord.put(b("k"), b("v")));
      Position p = f.get(5, TimeUnit.SECONDS);
      assertEquals(new Position(0, 0), p);
      assertTrue(wal.stats().fsyncCount() > before, "the timer forced the lone append");
      assertTrue(wal.stats().durablePosition().compareTo(p) > 0);
    }
  }

  @Test
  void alwaysPolicySharesForcesBetweenConcurrentAppenders() throws Exception {
    int threads = 16;
    int perThread = 50;
    try (Wal wal = Wal.open(config().fsyncPolicy(FsyncPolicy.always()).build())) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        fs.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    wal.append(WalRecord.put(b(id + ":" + i), new byte[100]));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      WalStats s = wal.stats();
      assertEquals((long) threads * perThread, s.recordsAppended());
      assertTrue(
          s.fsyncCount() < (long) threads * perThread,
          "group commit: " + s.fsyncCount() + " forces for " + s.recordsAppended() + " appends");
      assertEquals(threads * perThread, readAll(wal).size());
    }
  }

  @Test
  void tailingReaderSeesRecordsAppendedAfterItOpened() throws Exception {
    try (Wal wal = Wal.open(config().fsyncPolicy(FsyncPolicy.always()).build());
        WalReader r = wal.readFrom(Position.START)) {
      assertNull(r.next());
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 20; i++) {
                    wal.append(WalRecord.put(b("k" + i), new byte[60_000]));
                  }
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      t.start();
      for (int i = 0; i < 20; i++) {
        WalEntry e = r.poll(Duration.ofSeconds(10));
        assertNotNull(e, "record " + i);
        assertArrayEquals(b("k" + i), e.record().key());
      }
      t.join();
      assertNull(r.poll(Duration.ofMillis(10)));
    }
  }

  @Test
  void readsRecordsLargerThanTheReadersWindow() throws Exception {
    byte[] big = new byte[700_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    try (Wal wal = Wal.open(config().build())) {
      wal.append(WalRecord.put(b("small"), b("x")));
      wal.append(WalRecord.put(b("big"), big));
      wal.append(WalRecord.put(b("after"), b("y")));
      wal.sync();
      List<WalEntry> all = readAll(wal);
      assertEquals(3, all.size());
      assertArrayEquals(big, all.get(1).record().value());
    }
  }

  @Test
  void recordLargerThanASegmentIsRejectedBeforeAnythingIsWritten() throws Exception {
    try (Wal wal = Wal.open(config().build())) {
      Position before = wal.currentPosition();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> wal.append(WalRecord.put(b("k"), new byte[(int) MIB])));
      assertTrue(e.getMessage().contains("maxSegmentSize"), e.getMessage());
      assertEquals(before, wal.currentPosition());
    }
  }

  @Test
  void closeIsIdempotentAndLaterAppendsFailClearly() throws Exception {
    Wal wal = Wal.open(config().build());
    wal.append(WalRecord.put(b("k"), b("v")));
    wal.close();
    wal.close();
    assertEquals(WalState.CLOSED, wal.state());
    assertThrows(IllegalStateException.class, () -> wal.append(WalRecord.put(b("k"), b("v"))));
    assertTrue(wal.appendAsync(WalRecord.put(b("k"), b("v"))).isCompletedExceptionally());
  }

  @Test
  void closeCompletesEveryInFlightAppend() throws Exception {
    Wal wal = Wal.open(config().fsyncPolicy(FsyncPolicy.batch(Duration.ofMillis(200))).build());
    List<CompletableFuture<Position>> fs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      fs.add(wal.appendAsync(WalRecord.put(b("k" + i), new byte[200])));
    }
    wal.close();
    for (CompletableFuture<Position> f : fs) {
      assertTrue(f.isDone());
      assertFalse(f.isCompletedExceptionally());
    }
    try (Wal again = Wal.open(config().build())) {
      assertEquals(1000, readAll(again).size());
    }
  }

  @Test
  void interruptedAppenderDoesNotCloseTheChannelUnderOtherWriters() throws Exception {
    try (Wal wal = Wal.open(config().fsyncPolicy(FsyncPolicy.always()).build())) {
      Thread.currentThread().interrupt();
      wal.append(WalRecord.put(b("a"), b("1")));
      assertTrue(Thread.interrupted(), "the interrupt status is kept for the caller");
      wal.append(WalRecord.put(b("b"), b("2")));
      assertEquals(WalState.OPEN, wal.state());
      assertEquals(2, readAll(wal).size());
    }
  }

  @Test
  void strayFilesInTheDirectoryAreIgnored() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "hello");
    Files.write(dir.resolve("000005.wal.tmp"), new byte[100]);
    Files.createDirectories(dir.resolve("backup.wal"));
    Files.writeString(dir.resolve("abc.wal"), "not a segment name");
    try (Wal wal = Wal.open(config().build())) {
      wal.append(WalRecord.put(b("k"), b("v")));
      assertEquals(1, wal.segments().size());
    }
    assertTrue(Files.exists(dir.resolve("notes.txt")));
    assertFalse(Files.exists(dir.resolve("000005.wal.tmp")), "our own temporaries are cleaned");
  }

  @Test
  void emptyRecordRoundTrips() throws Exception {
    try (Wal wal = Wal.open(config().build())) {
      wal.append(WalRecord.put(new byte[0], new byte[0]));
      wal.append(WalRecord.delete(b("gone")));
      wal.append(WalRecord.putWithTtl(b("t"), b("v"), Duration.ZERO));
    }
    try (Wal wal = Wal.open(config().build())) {
      List<WalEntry> all = readAll(wal);
      assertEquals(WalRecord.put(new byte[0], new byte[0]), all.get(0).record());
      assertTrue(all.get(1).record().isTombstone());
      assertEquals(Duration.ZERO, all.get(2).record().ttl().orElseThrow());
    }
  }

  @Test
  void veryLargeBatchIsOneCallAndEveryRecordReadsBack() throws Exception {
    List<WalRecord> batch = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      batch.add(WalRecord.put(b(Integer.toString(i)), new byte[8]));
    }
    try (Wal wal = Wal.open(config().fsyncPolicy(FsyncPolicy.always()).build())) {
      List<Position> ps = wal.appendBatch(batch);
      assertEquals(100_000, ps.size());
      for (int i = 1; i < ps.size(); i++) {
        assertTrue(ps.get(i).compareTo(ps.get(i - 1)) > 0);
      }
      assertTrue(wal.segments().size() > 1, "a batch larger than a segment spans segments");
      List<WalEntry> all = readAll(wal);
      assertEquals(100_000, all.size());
      assertEquals(ps.get(99_999), all.get(99_999).position());
    }
  }

  @Test
  void readAtRestReadsACrashedLogWithoutLockingOrChangingIt() throws Exception {
    SegmentedWal wal = SegmentedWal.open(config().fsyncPolicy(FsyncPolicy.always()).build());
    for (int i = 0; i < 5; i++) {
      wal.append(WalRecord.put(b("k" + i), b("v" + i)));
    }
    wal.crashForTesting();
    Path seg = dir.resolve("000000.wal");
    long sizeBefore = Files.size(seg);
    List<String> keys = new ArrayList<>();
    try (WalReader r = Wal.readAtRest(dir, Position.START)) {
      for (WalEntry e; (e = r.next()) != null; ) {
        keys.add(new String(e.record().key(), StandardCharsets.UTF_8));
      }
    }
    assertEquals(List.of("k0", "k1", "k2", "k3", "k4"), keys);
    assertEquals(sizeBefore, Files.size(seg), "the zero-filled tail is left alone");
  }

  @Test
  void zeroCopyViewsSeeTheSameRecordsAsNext() throws Exception {
    byte[] text = b("compressible text ".repeat(100));
    byte[] big = new byte[1_500_000];
    big[12345] = 7;
    List<WalRecord> written =
        List.of(
            WalRecord.put(b("a"), b("1")),
            WalRecord.put(b("lz4"), text).withCompression(Compression.LZ4),
            WalRecord.delete(b("gone")),
            WalRecord.putWithTtl(b("t"), b("v"), Duration.ofSeconds(9)),
            WalRecord.put(b("big"), big));
    try (Wal wal = Wal.open(WalConfig.builder(dir).maxSegmentSize(4 * MIB).build())) {
      wal.appendBatch(written);
      wal.sync();
      List<WalEntry> copies = readAll(wal);
      List<WalRecord> viewed = new ArrayList<>();
      List<Position> positions = new ArrayList<>();
      try (WalReader r = wal.readFrom(Position.START)) {
        assertEquals(
            2,
            r.poll(
                v -> {
                  viewed.add(v.toRecord());
                  positions.add(v.position());
                  assertTrue(v.key().isReadOnly());
                },
                2));
        assertEquals(
            3,
            r.poll(
                v -> {
                  viewed.add(v.toRecord());
                  positions.add(v.position());
                },
                10));
        assertEquals(0, r.poll(v -> viewed.add(v.toRecord()), 10));
      }
      assertEquals(copies.stream().map(WalEntry::record).toList(), viewed);
      assertEquals(copies.stream().map(WalEntry::position).toList(), positions);
      assertEquals(Compression.LZ4, viewed.get(1).compression());
    }
  }

  @Test
  void cleanReopenCountsOnlyTheRecordsLeftAfterDeletingSegments() throws Exception {
    try (Wal wal = Wal.open(config().build())) {
      for (int seg = 0; seg < 3; seg++) {
        for (int i = 0; i < 4 + seg; i++) {
          wal.append(WalRecord.put(b(seg + ":" + i), new byte[10]));
        }
        wal.rotate();
      }
      wal.append(WalRecord.put(b("last"), new byte[10]));
      assertEquals(2, wal.deleteSegmentsBefore(new Position(2, 0)).deleted());
    }
    try (Wal wal = Wal.open(config().build())) {
      assertTrue(wal.recoveryInfo().scanSkipped());
      assertEquals(7, wal.recoveryInfo().validRecords(), "6 in segment 2 and 1 in segment 3");
      assertEquals(7, readAll(wal).size());
      wal.deleteSegmentsBefore(wal.currentPosition());
    }
    try (Wal wal = Wal.open(config().build())) {
      assertEquals(1, wal.recoveryInfo().validRecords());
    }
  }
}
