package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, many logs: every log's writer runs as a task on one JVM-wide pool of at most {@link
 * Writers#BOUND} threads. Real files throughout; forces are held back through {@link
 * FaultyChannel}'s gate where a test needs a writer to stay busy.
 */
class WriterPoolTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static long writerThreads() {
    return CloseAndInterruptTest.writerThreads().size();
  }

  static WalConfig gated(Path d, FsyncPolicy p) {
    return WalConfig.builder(d).maxSegmentSize(1 << 20).fsyncPolicy(p).preallocate(false).build();
  }

  /** Syncs {@code wal} on a thread of its own (its force will wait at the gate). */
  static CompletableFuture<Void> syncOnThread(Wal wal, String name) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                wal.sync();
                f.complete(null);
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            },
            name);
    t.start();
    return f;
  }

  static CompletableFuture<Void> onThread(ThrowingRunnable r) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    new Thread(
            () -> {
              try {
                r.run();
                f.complete(null);
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            })
        .start();
    return f;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  static void awaitForcesWaiting(FaultyChannel.Plan plan, int n) throws InterruptedException {
    while (plan.forcesWaiting.get() < n) {
      Thread.sleep(1);
    }
  }

  /**
   * {@code n} logs whose writer tasks each hold a pool thread in a force at {@code gate} (their
   * sync futures are added to {@code syncs}).
   */
  List<Wal> busyWriters(
      int n, FaultyChannel.Plan plan, CountDownLatch gate, List<CompletableFuture<Void>> syncs)
      throws Exception {
    List<Wal> out = new ArrayList<>();
    plan.countedFaultsFor = p -> p.getFileName().toString().startsWith("000000.wal");
    for (int i = 0; i < n; i++) {
      Wal w =
          SegmentedWal.open(
              gated(dir.resolve("held" + i), FsyncPolicy.batch(Duration.ofSeconds(1))),
              plan.opener());
      w.append(WalRecord.put(b("held" + i), b("v")));
      out.add(w);
    }
    plan.forceGate = gate;
    for (int i = 0; i < n; i++) {
      syncs.add(syncOnThread(out.get(i), "sync held" + i));
    }
    awaitForcesWaiting(plan, n);
    return out;
  }

  static int count(Wal wal) throws Exception {
    return CloseAndInterruptTest.count(wal);
  }

  /** Runs {@code task(i)} for i in [0, n) on a few threads (opens and closes wait on forces). */
  static void inParallel(int n, IntTask task) throws Exception {
    ExecutorService ex = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> all = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int k = i;
        all.add(
            ex.submit(
                () -> {
                  task.run(k);
                  return null;
                }));
      }
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      ex.shutdownNow();
    }
  }

  interface IntTask {
    void run(int i) throws Exception;
  }

  static WalConfig smallBatch(Path d) {
    return WalConfig.builder(d)
        .maxSegmentSize(1 << 20)
        .fsyncPolicy(FsyncPolicy.batch(Duration.ofMillis(5)))
        .build();
  }

  @Test
  void aThousandIdleLogsShareTheBoundedPoolHoldNoStagingChunkAndReopenWithTheirRecords()
      throws Exception {
    int logs = 1000;
    SegmentedWal[] idle = new SegmentedWal[logs];
    SegmentedWal busy = null;
    try {
      inParallel(
          logs,
          i -> {
            SegmentedWal w = SegmentedWal.open(smallBatch(dir.resolve("log" + i)));
            idle[i] = w;
            w.append(WalRecord.put(b("k" + i), b("v" + i)));
          });
      long maxThreads = writerThreads();
      busy = SegmentedWal.open(smallBatch(dir.resolve("busy")));
      // The busy log appends while the others go idle (about 2 s: their chunks go back after 1 s).
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      int appended = 0;
      while (System.nanoTime() < until || appended < 100) {
        busy.append(WalRecord.put(b("busy" + appended), new byte[512]));
        appended++;
        if (appended % 20 == 0) {
          busy.sync();
          maxThreads = Math.max(maxThreads, writerThreads());
        }
      }
      busy.sync();
      assertTrue(
          maxThreads <= Writers.BOUND,
          maxThreads + " writer threads for " + (logs + 1) + " logs, bound " + Writers.BOUND);
      assertEquals(appended, count(busy));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      int holding = logs;
      while (holding > 0 && System.nanoTime() < deadline) {
        holding = 0;
        for (SegmentedWal w : idle) {
          holding += w.holdsStagingChunks() ? 1 : 0;
        }
        if (holding > 0) {
          Thread.sleep(100);
        }
      }
      assertEquals(0, holding, "idle logs still holding a 1 MiB staging chunk");
      assertTrue(writerThreads() <= Writers.BOUND);
    } finally {
      inParallel(
          logs,
          i -> {
            if (idle[i] != null) {
              idle[i].close();
            }
          });
      if (busy != null) {
        busy.close();
      }
    }
    inParallel(
        logs,
        i -> {
          Path d = dir.resolve("log" + i);
          assertEquals(WalState.CLOSED, idle[i].state());
          try (Wal again = Wal.open(smallBatch(d));
              WalReader r = again.readFrom(Position.START)) {
            assertTrue(again.recoveryInfo().scanSkipped(), "closed cleanly: " + d);
            WalEntry e = r.next();
            assertNotNull(e, "the record of " + d);
            assertArrayEquals(b("k" + i), e.record().key());
            assertArrayEquals(b("v" + i), e.record().value());
            assertEquals(null, r.next());
          }
        });
  }

  @Test
  void logsWhoseForcesHangLeaveTheOthersAppendingAndSyncingUnderBatchAndOs() throws Exception {
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    CountDownLatch gate = new CountDownLatch(1);
    List<CompletableFuture<Void>> syncs = new ArrayList<>();
    // All but one pool thread sit in a force that does not return.
    List<Wal> held = busyWriters(Writers.BOUND - 1, plan, gate, syncs);
    try {
      assertTimeoutPreemptively(
          Duration.ofSeconds(60),
          () -> {
            for (FsyncPolicy p :
                List.of(FsyncPolicy.batch(Duration.ofMillis(5)), FsyncPolicy.os())) {
              Path d = dir.resolve("free " + p.toString().replaceAll("[^A-Za-z0-9]", "_"));
              try (Wal free = Wal.open(gated(d, p))) {
                List<CompletableFuture<Position>> async = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                  free.append(WalRecord.put(b("k" + i), b("v")));
                  async.add(free.appendAsync(WalRecord.put(b("a" + i), b("v"))));
                  if (i % 20 == 0) {
                    free.sync();
                  }
                }
                free.sync();
                CompletableFuture.allOf(async.toArray(CompletableFuture[]::new)).get();
                assertEquals(400, count(free));
                assertTrue(free.stats().fsyncCount() > 0);
              }
            }
          });
      assertEquals(Writers.BOUND - 1, plan.forcesWaiting.get(), "the held forces still wait");
      assertTrue(syncs.stream().noneMatch(CompletableFuture::isDone));
    } finally {
      plan.forceGate = null;
      gate.countDown();
    }
    for (CompletableFuture<Void> s : syncs) {
      s.get(30, TimeUnit.SECONDS);
    }
    for (Wal w : held) {
      assertEquals(1, count(w));
      w.close();
      assertEquals(WalState.CLOSED, w.state());
    }
  }

  @Test
  void closeAndCrashOfALogWhoseTaskIsQueuedBehindABusyPoolWaitForItAndEndProperly()
      throws Exception {
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    CountDownLatch gate = new CountDownLatch(1);
    List<CompletableFuture<Void>> syncs = new ArrayList<>();
    // Every pool thread sits in a force: any other log's task can only queue.
    List<Wal> held = busyWriters(Writers.BOUND, plan, gate, syncs);
    CompletableFuture<Void> closed;
    CompletableFuture<Void> crashed;
    CompletableFuture<Position> closedsRecord;
    try {
      Wal toClose = Wal.open(gated(dir.resolve("close"), FsyncPolicy.batch(Duration.ofSeconds(1))));
      SegmentedWal toCrash =
          SegmentedWal.open(gated(dir.resolve("crash"), FsyncPolicy.batch(Duration.ofSeconds(1))));
      closedsRecord = toClose.appendAsync(WalRecord.put(b("closed"), new byte[100_000]));
      CompletableFuture<Position> crashedRecord =
          toCrash.appendAsync(WalRecord.put(b("crashed"), b("v")));
      closed = onThread(toClose::close);
      crashed = onThread(toCrash::crashForTesting);
      // Neither can end before its task runs, and no pool thread is free to run it.
      Thread.sleep(300);
      assertFalse(closed.isDone(), "close ended with its writer task still queued");
      assertFalse(crashed.isDone(), "crash ended with its writer task still queued");
      assertFalse(closedsRecord.isDone());
      assertFalse(crashedRecord.isDone(), "nothing was written: no writer ran");
      assertTrue(Files.exists(dir.resolve("close").resolve(DirectoryLock.FILE)));
    } finally {
      plan.forceGate = null;
      gate.countDown();
    }
    closed.get(30, TimeUnit.SECONDS);
    crashed.get(30, TimeUnit.SECONDS);
    assertNotNull(closedsRecord.get(30, TimeUnit.SECONDS));
    for (CompletableFuture<Void> s : syncs) {
      s.get(30, TimeUnit.SECONDS);
    }
    for (Wal w : held) {
      w.close();
    }
    assertTrue(Files.exists(dir.resolve("close").resolve(CleanMarker.FILE)));
    assertFalse(Files.exists(dir.resolve("crash").resolve(CleanMarker.FILE)));
    try (Wal again = Wal.open(gated(dir.resolve("close"), FsyncPolicy.always()))) {
      assertTrue(again.recoveryInfo().scanSkipped());
      assertEquals(1, count(again));
    }
    try (Wal again = Wal.open(gated(dir.resolve("crash"), FsyncPolicy.always()))) {
      assertFalse(again.recoveryInfo().scanSkipped(), "a crash leaves no marker: the open scans");
    }
  }

  @Test
  void closeAndCrashWhileTheTaskIsInAForceWaitForItAndEndProperly() throws Exception {
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    CountDownLatch gate = new CountDownLatch(1);
    List<CompletableFuture<Void>> syncs = new ArrayList<>();
    List<Wal> held = busyWriters(2, plan, gate, syncs);
    CompletableFuture<Void> closed;
    CompletableFuture<Void> crashed;
    try {
      closed = onThread(held.get(0)::close);
      crashed = onThread(((SegmentedWal) held.get(1))::crashForTesting);
      Thread.sleep(300);
      assertFalse(closed.isDone(), "close ended under its writer's force");
      assertFalse(crashed.isDone(), "crash ended under its writer's force");
      assertTrue(Files.exists(dir.resolve("held0").resolve(DirectoryLock.FILE)));
    } finally {
      plan.forceGate = null;
      gate.countDown();
    }
    closed.get(30, TimeUnit.SECONDS);
    crashed.get(30, TimeUnit.SECONDS);
    syncs.get(0).get(30, TimeUnit.SECONDS); // forced before the close
    assertEquals(WalState.CLOSED, held.get(0).state());
    assertTrue(Files.exists(dir.resolve("held0").resolve(CleanMarker.FILE)));
    assertFalse(Files.exists(dir.resolve("held1").resolve(CleanMarker.FILE)));
    for (int i = 0; i < 2; i++) {
      try (Wal again = Wal.open(gated(dir.resolve("held" + i), FsyncPolicy.always()))) {
        // The crashed log's record was forced (the force only waited) before the crash ended.
        assertEquals(1, count(again), "held" + i);
      }
    }
  }

  @Test
  void closeFromAListenerOnAPoolThreadOnlyAsksAndTheTaskFinishesIt() throws Exception {
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          Wal wal = Wal.open(gated(dir, FsyncPolicy.batch(Duration.ofMillis(2))));
          CompletableFuture<String> askedOn = new CompletableFuture<>();
          wal.addListener(
              e -> {
                if (e instanceof WalEvent.FsyncCompleted && !askedOn.isDone()) {
                  try {
                    wal.close();
                    askedOn.complete(Thread.currentThread().getName());
                  } catch (Exception ex) {
                    askedOn.completeExceptionally(ex);
                  }
                }
              });
          CompletableFuture<Position> f = wal.appendAsync(WalRecord.put(b("k"), b("v")));
          assertTrue(askedOn.get().startsWith("nori-wal-writer-"), askedOn.get());
          assertNotNull(f.get());
          wal.close();
          assertEquals(WalState.CLOSED, wal.state());
          assertTrue(Files.exists(dir.resolve(CleanMarker.FILE)));
        });
  }

  /** A call a listener makes on the log's own writer thread. */
  private interface LogCall {
    void run() throws IOException;
  }

  /**
   * Registers a listener that makes {@code call} at the log's first force, on the thread that
   * reports it; the future gives what the call threw, or null if it returned.
   */
  private static CompletableFuture<Throwable> onFirstForce(Wal wal, LogCall call) {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    wal.addListener(
        e -> {
          if (e instanceof WalEvent.FsyncCompleted && !outcome.isDone()) {
            try {
              call.run();
              outcome.complete(null);
            } catch (Throwable t) {
              outcome.complete(t);
            }
          }
        });
    return outcome;
  }

  @Test
  void aListenerOnAPoolThreadCannotAppendToItsOwnLog() throws Exception {
    try (Wal wal = Wal.open(gated(dir, FsyncPolicy.batch(Duration.ofMillis(2))))) {
      CompletableFuture<Throwable> refused =
          onFirstForce(wal, () -> wal.append(WalRecord.put(b("from listener"), b("v"))));
      CompletableFuture<Position> first = wal.appendAsync(WalRecord.put(b("k"), b("v")));
      Throwable t = refused.get(30, TimeUnit.SECONDS);
      assertNotNull(first.get(30, TimeUnit.SECONDS));
      assertTrue(t instanceof IllegalStateException, String.valueOf(t));
      wal.append(WalRecord.put(b("after"), b("v")));
      wal.sync();
      assertEquals(2, count(wal));
    }
  }

  @Test
  void aListenerOnAPoolThreadCannotRotateItsOwnLogAndTheLogGoesOn() throws Exception {
    // Preemptive: before rotate refused the writer's own thread, it waited for that thread.
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          try (Wal wal = Wal.open(gated(dir, FsyncPolicy.batch(Duration.ofMillis(2))))) {
            // rotate() would wait for the very task it runs on
            CompletableFuture<Throwable> refused = onFirstForce(wal, wal::rotate);
            CompletableFuture<Position> first = wal.appendAsync(WalRecord.put(b("k"), b("v")));
            Throwable t = refused.get(20, TimeUnit.SECONDS);
            assertNotNull(first.get(20, TimeUnit.SECONDS));
            assertTrue(t instanceof IllegalStateException, String.valueOf(t));
            wal.rotate();
            assertEquals(2, wal.segments().size(), wal.segments()::toString);
            wal.append(WalRecord.put(b("after"), b("v")));
            wal.sync();
            assertEquals(2, count(wal));
          }
        });
  }

  @Test
  void listenersOnAPoolThreadSeeTheClassLoaderTheLogWasOpenedWith() throws Exception {
    ClassLoader mine = new java.net.URLClassLoader(new java.net.URL[0], null);
    Thread opener = Thread.currentThread();
    ClassLoader before = opener.getContextClassLoader();
    Wal wal;
    opener.setContextClassLoader(mine);
    try {
      wal = Wal.open(gated(dir, FsyncPolicy.batch(Duration.ofMillis(2))));
    } finally {
      opener.setContextClassLoader(before);
    }
    try (Wal w = wal) {
      CompletableFuture<String> seen = new CompletableFuture<>();
      w.addListener(
          e -> {
            if (e instanceof WalEvent.FsyncCompleted) {
              Thread t = Thread.currentThread();
              seen.complete(t.getName() + " " + (t.getContextClassLoader() == mine));
            }
          });
      assertNotNull(w.appendAsync(WalRecord.put(b("k"), b("v"))).get(30, TimeUnit.SECONDS));
      String s = seen.get(30, TimeUnit.SECONDS);
      assertTrue(s.startsWith("nori-wal-writer-") && s.endsWith(" true"), s);
    }
  }
}
