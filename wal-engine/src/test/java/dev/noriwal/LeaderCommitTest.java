package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@code always()} an appender that finds no commit in flight writes and forces its own round
 * (see {@link Staging}): the thread doing the I/O is then a caller's thread, not the writer's, and
 * every edge the writer thread had must hold there too.
 */
class LeaderCommitTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  WalConfig config() {
    return WalConfig.builder(dir).maxSegmentSize(1 << 20).fsyncPolicy(FsyncPolicy.always()).build();
  }

  /**
   * For the tests that hold forces at the gate: only the writer's forces of the first segment, no
   * background zero-fill (it forces the same file through the same opener).
   */
  WalConfig gatedConfig() {
    return WalConfig.builder(dir)
        .maxSegmentSize(1 << 20)
        .fsyncPolicy(FsyncPolicy.always())
        .preallocate(false)
        .build();
  }

  static FaultyChannel.Plan firstSegmentPlan() {
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    plan.countedFaultsFor = p -> p.getFileName().toString().startsWith("000000.wal");
    return plan;
  }

  /** Appends on a new thread; the future holds its position or its failure. */
  static CompletableFuture<Position> appendOnThread(Wal wal, String key) {
    CompletableFuture<Position> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(wal.append(WalRecord.put(b(key), b("v"))));
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            },
            "appender " + key);
    t.start();
    return f;
  }

  static void awaitForcesWaiting(FaultyChannel.Plan plan, int n) throws InterruptedException {
    while (plan.forcesWaiting.get() < n) {
      Thread.sleep(1);
    }
  }

  @Test
  void aLoneAppenderForcesItsOwnRecordOnItsOwnThread() throws Exception {
    List<String> forcedOn = new CopyOnWriteArrayList<>();
    try (Wal wal = Wal.open(config())) {
      wal.addListener(
          e -> {
            if (e instanceof WalEvent.FsyncCompleted) {
              forcedOn.add(Thread.currentThread().getName());
            }
          });
      long before = wal.stats().fsyncCount();
      for (int i = 0; i < 20; i++) {
        wal.append(WalRecord.put(b("k" + i), b("v")));
      }
      assertEquals(20, wal.stats().fsyncCount() - before, () -> "a force each: " + wal.stats());
      assertEquals(20, CloseAndInterruptTest.count(wal));
    }
    assertEquals(20, forcedOn.size(), forcedOn::toString);
    String me = Thread.currentThread().getName();
    assertTrue(forcedOn.stream().allMatch(me::equals), "forced on " + forcedOn);
  }

  @Test
  void aListenerOnTheCommittingAppenderCannotAppendOrSyncThere() throws Exception {
    List<Throwable> refused = new CopyOnWriteArrayList<>();
    try (Wal wal = Wal.open(config())) {
      wal.addListener(
          e -> {
            if (e instanceof WalEvent.FsyncCompleted && refused.isEmpty()) {
              try {
                wal.append(WalRecord.put(b("from listener"), b("v")));
              } catch (Throwable t) {
                refused.add(t);
              }
              try {
                wal.sync();
              } catch (Throwable t) {
                refused.add(t);
              }
            }
          });
      assertTimeoutPreemptively(
          Duration.ofSeconds(30), () -> wal.append(WalRecord.put(b("k"), b("v"))));
      assertEquals(2, refused.size(), refused::toString);
      for (Throwable t : refused) {
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(t.getMessage().contains("thread writing the log"), t.getMessage());
      }
      assertEquals(WalState.OPEN, wal.state());
      wal.append(WalRecord.put(b("after"), b("v")));
      assertEquals(2, CloseAndInterruptTest.count(wal));
    }
  }

  @Test
  void appendersArrivingDuringALeadersForceAreForcedByTheWriterAfterIt() throws Exception {
    FaultyChannel.Plan plan = firstSegmentPlan();
    List<String> forcedOn = new CopyOnWriteArrayList<>();
    try (Wal wal = SegmentedWal.open(gatedConfig(), plan.opener())) {
      wal.append(WalRecord.put(b("first"), b("v")));
      wal.addListener(
          e -> {
            if (e instanceof WalEvent.FsyncCompleted) {
              forcedOn.add(Thread.currentThread().getName());
            }
          });
      CountDownLatch gate = new CountDownLatch(1);
      plan.forceGate = gate;
      CompletableFuture<Position> leader = appendOnThread(wal, "leader");
      awaitForcesWaiting(plan, 1);
      List<CompletableFuture<Position>> followers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        followers.add(appendOnThread(wal, "follower" + i));
      }
      // Wait until every follower has staged its record (the log's end moves past all of them).
      long want = 10;
      while (wal.stats().recordsAppended() < want) {
        Thread.sleep(1);
      }
      // The leader holds the commit: nobody else may write or force, so nothing is acknowledged.
      assertFalse(leader.isDone());
      assertTrue(followers.stream().noneMatch(CompletableFuture::isDone));
      plan.forceGate = null;
      gate.countDown();
      Position lp = leader.get(30, TimeUnit.SECONDS);
      for (CompletableFuture<Position> f : followers) {
        assertTrue(f.get(30, TimeUnit.SECONDS).compareTo(lp) > 0, "followers staged after");
      }
      assertEquals(10, CloseAndInterruptTest.count(wal));
      assertEquals(WalState.OPEN, wal.state());
    }
    assertEquals("appender leader", forcedOn.get(0), forcedOn::toString);
    assertTrue(
        forcedOn.stream().skip(1).anyMatch(n -> n.startsWith("nori-wal-writer")),
        "the writer thread forced the followers: " + forcedOn);
  }

  @Test
  void closeDuringALeadersForceWaitsForItAndClosesClean() throws Exception {
    FaultyChannel.Plan plan = firstSegmentPlan();
    Wal wal = SegmentedWal.open(gatedConfig(), plan.opener());
    wal.append(WalRecord.put(b("first"), b("v")));
    CountDownLatch gate = new CountDownLatch(1);
    plan.forceGate = gate;
    CompletableFuture<Position> leader = appendOnThread(wal, "leader");
    awaitForcesWaiting(plan, 1);
    CompletableFuture<Void> closed = new CompletableFuture<>();
    Thread closer =
        new Thread(
            () -> {
              try {
                wal.close();
                closed.complete(null);
              } catch (Throwable e) {
                closed.completeExceptionally(e);
              }
            });
    closer.start();
    while (closer.getState() != Thread.State.WAITING) {
      Thread.sleep(1);
    }
    // The close may not release the directory or trim the segment under the leader's force.
    assertFalse(closed.isDone());
    assertTrue(Files.exists(dir.resolve(DirectoryLock.FILE)));
    plan.forceGate = null;
    gate.countDown();
    assertNotNull(leader.get(30, TimeUnit.SECONDS), "the leader's record was forced");
    closed.get(30, TimeUnit.SECONDS);
    assertEquals(WalState.CLOSED, wal.state());
    assertTrue(Files.exists(dir.resolve(CleanMarker.FILE)));
    try (Wal again = Wal.open(gatedConfig())) {
      assertEquals(2, CloseAndInterruptTest.count(again));
      assertTrue(again.recoveryInfo().scanSkipped(), "the clean marker let the open skip the scan");
    }
  }

  @Test
  void aLeaderWhoseForceFailsThrowsAndFailsTheAppendersWaitingBehindIt() throws Exception {
    FaultyChannel.Plan plan = firstSegmentPlan();
    Wal wal = SegmentedWal.open(gatedConfig(), plan.opener());
    wal.append(WalRecord.put(b("acked"), b("v")));
    // The leader's write is slow and its force will fail; the follower stages during the write.
    plan.failAllForces = true;
    plan.writeDelayMillis = 300;
    int writes = plan.writes.get();
    CompletableFuture<Position> leader = appendOnThread(wal, "leader");
    while (plan.writes.get() == writes) {
      Thread.sleep(1);
    }
    CompletableFuture<Position> follower = appendOnThread(wal, "follower");
    while (wal.stats().recordsAppended() < 3 && !leader.isDone()) {
      Thread.sleep(1);
    }
    assertFalse(leader.isDone(), "the follower staged while the leader was still writing");
    Throwable l = assertThrows(leader);
    Throwable f = assertThrows(follower);
    assertInstanceOf(LogFailedException.class, l);
    assertInstanceOf(LogFailedException.class, f);
    assertEquals(WalState.FAILED, wal.state());
    wal.close();
    plan.failAllForces = false;
    try (Wal again = Wal.open(gatedConfig())) {
      assertTrue(CloseAndInterruptTest.count(again) >= 1, "the acknowledged record survives");
    }
  }

  static Throwable assertThrows(CompletableFuture<?> f) throws InterruptedException {
    try {
      f.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("still waiting", e);
    }
    throw new AssertionError("completed normally");
  }
}
