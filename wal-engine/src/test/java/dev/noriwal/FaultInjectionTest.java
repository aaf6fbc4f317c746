package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fsyncgate and resource-exhaustion scenarios (wal-anchors.md 21–26) through a faulty channel. */
class FaultInjectionTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Counted faults hit only the first segment, never the one being prepared in the background. */
  static FaultyChannel.Plan firstSegmentPlan() {
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    plan.countedFaultsFor = p -> p.getFileName().toString().startsWith("000000.wal");
    return plan;
  }

  WalConfig config(FsyncPolicy p) {
    return WalConfig.builder(dir).maxSegmentSize(1 << 20).fsyncPolicy(p).build();
  }

  /**
   * For the tests that arm the n-th write or force of {@code 000000.wal}: without preallocation, so
   * that the background zero-fill ahead of the writer (which writes and forces the same file
   * through the same opener) cannot take the counted fault meant for the writer.
   */
  WalConfig countedFaultsConfig(FsyncPolicy p) {
    return WalConfig.builder(dir).maxSegmentSize(1 << 20).fsyncPolicy(p).preallocate(false).build();
  }

  static int count(Wal wal) throws IOException {
    int n = 0;
    try (WalReader r = wal.readFrom(Position.START)) {
      while (r.next() != null) {
        n++;
      }
    }
    return n;
  }

  @Test
  void failedForceFencesTheLogAndALaterGoodForceNeverUnfencesIt() throws Exception {
    FaultyChannel.Plan plan = firstSegmentPlan();
    Wal wal = SegmentedWal.open(countedFaultsConfig(FsyncPolicy.always()), plan.opener());
    for (int i = 0; i < 10; i++) {
      wal.append(WalRecord.put(b("k" + i), b("v")));
    }
    plan.failForceNumber = plan.forces.get() + 1;
    LogFailedException e =
        assertThrows(LogFailedException.class, () -> wal.append(WalRecord.put(b("bad"), b("v"))));
    assertTrue(e.getCause().getMessage().contains("injected"), e.getCause().toString());
    assertEquals(WalState.FAILED, wal.state());
    // The next force would succeed, but the log stays fenced and reports the first cause.
    LogFailedException again = assertThrows(LogFailedException.class, wal::sync);
    assertSame(e.getCause(), again.getCause());
    assertThrows(LogFailedException.class, () -> wal.append(WalRecord.put(b("x"), b("v"))));
    ExecutionException async =
        assertThrows(
            ExecutionException.class,
            () -> wal.appendAsync(WalRecord.put(b("y"), b("v"))).get(5, TimeUnit.SECONDS));
    assertInstanceOf(LogFailedException.class, async.getCause());
    assertSame(e.getCause(), wal.failure().orElseThrow());
    wal.close();
    try (Wal reopened = Wal.open(config(FsyncPolicy.always()))) {
      int n = count(reopened);
      assertTrue(n >= 10, "every acknowledged record survives: " + n);
    }
  }

  @Test
  void failedWriteMidBatchFailsEveryWaiterOfTheBatch() throws Exception {
    FaultyChannel.Plan plan = firstSegmentPlan();
    Wal wal = SegmentedWal.open(countedFaultsConfig(FsyncPolicy.always()), plan.opener());
    wal.append(WalRecord.put(b("acked"), b("v")));
    plan.failWriteNumber = plan.writes.get() + 1;
    plan.tearAfterBytes = 30;
    List<WalRecord> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      batch.add(WalRecord.put(b("b" + i), new byte[100]));
    }
    assertThrows(LogFailedException.class, () -> wal.appendBatch(batch));
    wal.close();
    try (Wal reopened = Wal.open(config(FsyncPolicy.always()))) {
      assertEquals(
          1, count(reopened), "the torn batch is cut as a torn tail; the acked record stays");
      assertTrue(reopened.recoveryInfo().bytesTruncated() > 0);
    }
  }

  @Test
  void shortWritesAreCompletedNotLost() throws Exception {
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    plan.maxBytesPerWrite = 97;
    try (Wal wal = SegmentedWal.open(config(FsyncPolicy.always()), plan.opener())) {
      for (int i = 0; i < 50; i++) {
        wal.append(WalRecord.put(b("k" + i), new byte[500]));
      }
      assertEquals(50, count(wal));
    }
    try (Wal wal = Wal.open(config(FsyncPolicy.always()))) {
      assertEquals(50, count(wal));
      assertTrue(wal.recoveryInfo().isClean());
    }
  }

  @Test
  void fullDiskWhilePreparingTheNextSegmentFencesAtRotationAndKeepsAckedData() throws Exception {
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    plan.noSpaceFor =
        p ->
            p.getFileName().toString().endsWith(".tmp")
                && !p.getFileName().toString().startsWith("000000");
    Wal wal = SegmentedWal.open(config(FsyncPolicy.always()), plan.opener());
    int acked = 0;
    IOException failure = null;
    try {
      for (int i = 0; i < 100; i++) {
        wal.append(WalRecord.put(b("k" + i), new byte[50_000]));
        acked++;
      }
    } catch (LogFailedException e) {
      failure = e;
    }
    assertTrue(failure != null, "the rotation into an unprepared segment must fail");
    assertTrue(
        failure.getCause().getMessage().contains("preparing segment"),
        failure.getCause().getMessage());
    assertTrue(acked > 0 && acked < 100);
    wal.close();
    try (Wal reopened = Wal.open(config(FsyncPolicy.always()))) {
      assertTrue(count(reopened) >= acked, "nothing acknowledged is lost");
      // After space is back, the engine works again.
      reopened.append(WalRecord.put(b("after"), new byte[10]));
    }
  }

  @Test
  void concurrentAppendersAllFailWithTheFirstCauseWhenAForceFails() throws Exception {
    FaultyChannel.Plan plan = firstSegmentPlan();
    Wal wal = SegmentedWal.open(config(FsyncPolicy.always()), plan.opener());
    wal.append(WalRecord.put(b("first"), b("v")));
    plan.failAllForces = true;
    List<CompletableFuture<Position>> fs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      fs.add(wal.appendAsync(WalRecord.put(b("k" + i), new byte[64])));
    }
    Throwable cause = null;
    for (CompletableFuture<Position> f : fs) {
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
      assertInstanceOf(LogFailedException.class, e.getCause());
      if (cause == null) {
        cause = e.getCause().getCause();
      }
      assertSame(cause, e.getCause().getCause());
    }
    plan.failAllForces = false;
    wal.close();
  }

  @Test
  void failedRenameWhileRollingFencesAndPublishesNothingHalfWay() throws Exception {
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    Wal wal = SegmentedWal.open(config(FsyncPolicy.always()), plan.opener());
    for (int i = 0; i < 3; i++) {
      wal.append(WalRecord.put(b("k" + i), new byte[100]));
    }
    plan.failMoves = true;
    LogFailedException e = assertThrows(LogFailedException.class, wal::rotate);
    assertTrue(e.getCause().getMessage().contains("injected rename"), e.getCause().toString());
    assertEquals(WalState.FAILED, wal.state());
    wal.close();
    try (Wal reopened = Wal.open(config(FsyncPolicy.always()))) {
      assertEquals(3, count(reopened));
      assertEquals(1, reopened.segments().size(), "no half-published segment");
    }
  }

  @Test
  void failedDirectoryForceAfterARollFencesLikeAFailedDataForce() throws Exception {
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    Wal wal = SegmentedWal.open(config(FsyncPolicy.always()), plan.opener());
    wal.append(WalRecord.put(b("acked"), new byte[100]));
    plan.failDirectoryForces = true;
    assertThrows(LogFailedException.class, wal::rotate);
    assertThrows(LogFailedException.class, () -> wal.append(WalRecord.put(b("x"), b("y"))));
    plan.failDirectoryForces = false;
    assertThrows(LogFailedException.class, wal::sync, "a later good force never un-fences");
    wal.close();
    try (Wal reopened = Wal.open(config(FsyncPolicy.always()))) {
      assertEquals(1, count(reopened));
    }
  }

  @Test
  void readErrorDuringRecoveryFailsTheOpenNamingTheSegmentAndRepairsNothing() throws Exception {
    try (Wal wal = Wal.open(config(FsyncPolicy.always()))) {
      wal.append(WalRecord.put(b("k"), new byte[100]));
    }
    java.nio.file.Files.delete(dir.resolve(CleanMarker.FILE)); // force a scan
    byte[] before = java.nio.file.Files.readAllBytes(dir.resolve("000000.wal"));
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    plan.readErrorFor = p -> p.getFileName().toString().equals("000000.wal");
    IOException e =
        assertThrows(
            IOException.class,
            () -> SegmentedWal.open(config(FsyncPolicy.always()), plan.opener()));
    assertTrue(e.getMessage().contains("000000.wal"), e.getMessage());
    assertTrue(!(e instanceof CorruptLogException), "an I/O error is not reported as damage");
    assertArrayEquals(before, java.nio.file.Files.readAllBytes(dir.resolve("000000.wal")));
    try (Wal wal = Wal.open(config(FsyncPolicy.always()))) {
      assertEquals(1, count(wal), "the log itself was never touched");
    }
  }

  @Test
  void producersFasterThanTheDiskAreHeldBackWithBoundedMemory() throws Exception {
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    try (Wal wal =
        SegmentedWal.open(
            WalConfig.builder(dir).maxSegmentSize(64L << 20).fsyncPolicy(FsyncPolicy.os()).build(),
            plan.opener())) {
      plan.writeDelayMillis = 20;
      java.util.concurrent.atomic.AtomicLong maxQueued =
          new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicBoolean done =
          new java.util.concurrent.atomic.AtomicBoolean();
      Thread sampler =
          new Thread(
              () -> {
                while (!done.get()) {
                  maxQueued.accumulateAndGet(wal.stats().queuedBytes(), Math::max);
                  Thread.onSpinWait();
                }
              });
      sampler.start();
      byte[] value = new byte[4000];
      for (int i = 0; i < 12_000; i++) { // ~48 MiB, three times the staging bound
        wal.append(WalRecord.put(b("k" + i), value));
      }
      done.set(true);
      sampler.join();
      plan.writeDelayMillis = 0;
      long bound = Staging.MAX_STAGED + Staging.CHUNK;
      assertTrue(maxQueued.get() > 0, "the sampler saw the queue");
      assertTrue(maxQueued.get() <= bound, "queued " + maxQueued.get() + " > " + bound);
      wal.sync();
      assertEquals(12_000, count(wal));
    }
  }

  /**
   * An os() log with room for 64 MiB in its first segment, no zero-fill: only the writer forces.
   */
  WalConfig behindConfig() {
    return WalConfig.builder(dir)
        .maxSegmentSize(64L << 20)
        .fsyncPolicy(FsyncPolicy.os())
        .preallocate(false)
        .build();
  }

  @Test
  void osForcesWrittenBytesBehindTheWriterWithoutAnyoneAsking() throws Exception {
    FaultyChannel.Plan plan = firstSegmentPlan();
    byte[] value = new byte[1000];
    try (Wal wal = SegmentedWal.open(behindConfig(), plan.opener())) {
      int before = plan.forces.get();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      int i = 0;
      // 9 MiB written starts a background force; the rounds after it keep the writer looking.
      while (plan.forces.get() == before && System.nanoTime() < deadline) {
        wal.append(WalRecord.put(b("k" + i++), value));
        if (i % 1000 == 0) {
          wal.flush(); // written to the OS, never forced by the caller
        }
      }
      assertTrue(plan.forces.get() > before, "no force after " + i + " appends under os()");
      assertTrue(i > 8 * 1024, "forced before a step was written: " + i + " appends");
      assertEquals(WalState.OPEN, wal.state());
    }
  }

  @Test
  void aFailedBackgroundForceFencesTheLog() throws Exception {
    FaultyChannel.Plan plan = firstSegmentPlan();
    byte[] value = new byte[1000];
    Wal wal = SegmentedWal.open(behindConfig(), plan.opener());
    plan.failAllForces = true;
    LogFailedException e =
        assertThrows(
            LogFailedException.class,
            () -> {
              // At most 60 MiB: no rotation, no sync, no close; only the background force fails.
              for (int i = 0; i < 60_000; i++) {
                wal.append(WalRecord.put(b("k" + i), value));
                if (i % 1000 == 999) {
                  wal.flush();
                }
              }
            });
    assertTrue(e.getCause().getMessage().contains("background force"), e.getCause().toString());
    assertTrue(e.getCause().getMessage().contains("injected"), e.getCause().toString());
    assertEquals(WalState.FAILED, wal.state());
    wal.close();
    // The writes themselves succeeded: what was written before the failure (at least the step
    // whose force failed) reads back in order after a reopen.
    try (Wal reopened = Wal.open(behindConfig());
        WalReader r = reopened.readFrom(Position.START)) {
      int n = 0;
      for (WalEntry e2; (e2 = r.next()) != null; n++) {
        assertArrayEquals(b("k" + n), e2.record().key());
      }
      assertTrue(n >= 8 * 1024, "records back after the reopen: " + n);
    }
  }

  @Test
  void closeFromAnotherThreadWaitsForABackgroundForceAndEndsClean() throws Exception {
    FaultyChannel.Plan plan = firstSegmentPlan();
    byte[] value = new byte[1000];
    Wal wal = SegmentedWal.open(behindConfig(), plan.opener());
    plan.forceGate = new CountDownLatch(1); // every force of the segment now waits for the test
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int n = 0;
    while (plan.forcesWaiting.get() == 0 && System.nanoTime() < deadline) {
      wal.append(WalRecord.put(b("k" + n++), value));
      if (n % 1000 == 0) {
        wal.flush();
      }
    }
    assertEquals(1, plan.forcesWaiting.get(), "a background force is running on the segment");
    CompletableFuture<Void> closed =
        CompletableFuture.runAsync(
            () -> {
              try {
                wal.close();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    Thread.sleep(200);
    assertFalse(closed.isDone(), "close returned while the segment's force had not finished");
    plan.forceGate.countDown();
    closed.get(20, TimeUnit.SECONDS);
    assertEquals(WalState.CLOSED, wal.state());
    try (Wal reopened = Wal.open(behindConfig());
        WalReader r = reopened.readFrom(Position.START)) {
      assertTrue(
          reopened.recoveryInfo().scanSkipped(), "no clean marker: " + reopened.recoveryInfo());
      int back = 0;
      for (WalEntry e; (e = r.next()) != null; back++) {
        assertArrayEquals(b("k" + back), e.record().key());
      }
      assertEquals(n, back);
    }
  }

  @Test
  void rotateReturnsOnlyOnceTheNewSegmentIsActiveThoughARoundWithTheLastBytesWasInFlight()
      throws Exception {
    FaultyChannel.Plan plan = firstSegmentPlan();
    plan.writeDelayMillis = 300; // the writer's round is in its write when rotate is called
    try (Wal wal = SegmentedWal.open(countedFaultsConfig(FsyncPolicy.os()), plan.opener())) {
      wal.append(WalRecord.put(new byte[] {1}, new byte[100]));
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (plan.writes.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertEquals(1, plan.writes.get(), "the round with the record is being written");

      wal.rotate();

      List<SegmentInfo> segments = wal.segments();
      assertEquals(2, segments.size(), segments::toString);
      assertTrue(segments.get(0).sealed(), segments::toString);
      assertEquals(1, segments.get(1).id(), segments::toString);
      plan.writeDelayMillis = 0;
    }
  }

  @Test
  void aRotateWaitingWhenTheWriterStopsThrowsTheLogsEndInsteadOfWaitingForever() throws Exception {
    FaultyChannel.Plan plan = firstSegmentPlan();
    plan.writeDelayMillis = 500; // the round before the rotation is in its write
    SegmentedWal wal = SegmentedWal.open(countedFaultsConfig(FsyncPolicy.os()), plan.opener());
    wal.append(WalRecord.put(new byte[] {1}, new byte[100]));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (plan.writes.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    CompletableFuture<Throwable> rotated = new CompletableFuture<>();
    Thread rotator =
        new Thread(
            () -> {
              try {
                wal.rotate();
                rotated.complete(null);
              } catch (Throwable t) {
                rotated.complete(t);
              }
            });
    rotator.start();
    Thread.sleep(100);
    assertFalse(rotated.isDone(), "rotate returned before its rotation was written");

    wal.crashForTesting(); // the writer stops as a killed process would, the rotation unwritten

    Throwable t = rotated.get(20, TimeUnit.SECONDS);
    assertInstanceOf(LogFailedException.class, t, String.valueOf(t));
    assertTrue(t.getMessage().contains("simulated crash"), t.getMessage());
    assertEquals(1, wal.segments().size(), wal.segments()::toString);
    plan.writeDelayMillis = 0;
  }

  @Test
  void aRotateWhoseSealFailsThrowsTheLogsFailureInsteadOfWaiting() throws Exception {
    FaultyChannel.Plan plan = firstSegmentPlan();
    plan.failForceNumber = 1; // under os() nothing forces 000000.wal before the seal does
    Wal wal = SegmentedWal.open(countedFaultsConfig(FsyncPolicy.os()), plan.opener());
    wal.append(WalRecord.put(new byte[] {1}, new byte[100]));

    LogFailedException e = assertThrows(LogFailedException.class, wal::rotate);

    assertTrue(e.getMessage().contains("force #1"), e.getMessage());
    assertEquals(WalState.FAILED, wal.state());
    wal.close();
  }
}
