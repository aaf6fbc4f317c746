package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 8, scenarios 1 to 4: close and interrupts at the log's edges. */
class CloseAndInterruptTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  WalConfig config(FsyncPolicy p) {
    return WalConfig.builder(dir).maxSegmentSize(1 << 20).fsyncPolicy(p).build();
  }

  /**
   * The live threads of the JVM-wide writer pool (shared by every log); any thread named as a
   * writer, so that a per-log writer thread ("nori-wal-writer dir", before issue 9) counts too.
   */
  static List<Thread> writerThreads() {
    List<Thread> out = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("nori-wal-writer") && t.isAlive()) {
        out.add(t);
      }
    }
    return out;
  }

  static int count(Wal wal) throws Exception {
    int n = 0;
    try (WalReader r = wal.readFrom(Position.START)) {
      while (r.next() != null) {
        n++;
      }
    }
    return n;
  }

  @Test
  void closeRightAfterARotationNeverHangsAndLeavesACleanMarker() {
    // Issue 8 scenario 1: the rotation queues the next segment's preparation; a close racing it
    // used to wait forever on a preparation its stopped executor would never run.
    assertTimeoutPreemptively(
        Duration.ofMinutes(2),
        () -> {
          for (int cycle = 0; cycle < 150; cycle++) {
            Wal wal =
                Wal.open(
                    WalConfig.builder(dir)
                        .maxSegmentSize(1 << 20)
                        .preallocate(false)
                        .fsyncPolicy(FsyncPolicy.os())
                        .build());
            wal.append(WalRecord.put(b("k" + cycle), b("v")));
            wal.rotate();
            wal.close();
            assertEquals(WalState.CLOSED, wal.state());
            assertTrue(Files.exists(dir.resolve(CleanMarker.FILE)), "cycle " + cycle);
          }
        });
  }

  @Test
  void closeWhoseFinalForceFailsThrowsLeavesTheLogFailedAndWritesNoMarker() throws Exception {
    // Issue 8 scenario 2.
    FaultyChannel.Plan plan = FaultInjectionTest.firstSegmentPlan();
    Wal wal = SegmentedWal.open(config(FsyncPolicy.batch(Duration.ofSeconds(1))), plan.opener());
    for (int i = 0; i < 20; i++) {
      wal.append(WalRecord.put(b("k" + i), b("v")));
    }
    plan.failAllForces = true;
    LogFailedException e = assertThrows(LogFailedException.class, wal::close);
    assertNotNull(e.getCause());
    assertTrue(e.getCause().getMessage().contains("injected"), e.getCause().toString());
    assertEquals(WalState.FAILED, wal.state());
    assertFalse(
        Files.exists(dir.resolve(CleanMarker.FILE)), "no clean marker after a failed close");
    LogFailedException again = assertThrows(LogFailedException.class, wal::close);
    assertEquals(e.getCause(), again.getCause());
    // The directory was released and the next open scans.
    try (Wal reopened = Wal.open(config(FsyncPolicy.always()))) {
      assertFalse(reopened.recoveryInfo().scanSkipped());
    }
  }

  @Test
  void interruptingTheWriterThreadsFromOutsideDoesNotFenceTheLog() throws Exception {
    // Issue 8 scenario 3, from outside: every pool thread, again and again, under every policy
    // (under always() a lone appender commits its own rounds; async appends go to the pool).
    for (FsyncPolicy p :
        List.of(FsyncPolicy.always(), FsyncPolicy.batch(Duration.ofMillis(1)), FsyncPolicy.os())) {
      Path d = dir.resolve(p.toString().replaceAll("[^A-Za-z0-9]", "_"));
      try (Wal wal =
          Wal.open(WalConfig.builder(d).maxSegmentSize(1 << 20).fsyncPolicy(p).build())) {
        wal.append(WalRecord.put(b("first"), b("v")));
        int interrupted = 0;
        List<CompletableFuture<Position>> async = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          for (Thread t : writerThreads()) {
            t.interrupt();
            interrupted++;
          }
          if (i % 2 == 0) {
            wal.append(WalRecord.put(b("k" + i), new byte[8000]));
          } else {
            async.add(wal.appendAsync(WalRecord.put(b("k" + i), new byte[8000])));
          }
          if (i % 50 == 0) {
            wal.sync();
          }
        }
        CompletableFuture.allOf(async.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        wal.sync();
        assertTrue(interrupted > 0, "no writer thread was ever running to interrupt");
        assertEquals(WalState.OPEN, wal.state(), () -> p + " failure: " + wal.failure());
        assertEquals(301, count(wal));
        assertTrue(wal.stats().rotations() > 0, "rotations ran while writers were interrupted");
      }
    }
  }

  @Test
  void aCompletionCallbackThatRestoresAnInterruptNeitherRunsOnTheWriterNorFencesTheLog()
      throws Exception {
    // Issue 8 scenario 3, from a well-behaved callback.
    try (Wal wal = Wal.open(config(FsyncPolicy.batch(Duration.ofMillis(2))))) {
      List<String> threads = new CopyOnWriteArrayList<>();
      List<CompletableFuture<?>> all = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        all.add(
            wal.appendAsync(WalRecord.put(b("k" + i), b("v")))
                .whenComplete(
                    (p, e) -> {
                      threads.add(Thread.currentThread().getName());
                      Thread.currentThread().interrupt();
                    }));
      }
      // A future that completed before whenComplete was attached runs its callback inline, here,
      // and that callback interrupted this thread: clear it, it says nothing about the log.
      Thread.interrupted();
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      wal.append(WalRecord.put(b("after"), b("v")));
      wal.sync();
      assertEquals(WalState.OPEN, wal.state(), () -> "failure: " + wal.failure());
      assertEquals(200, threads.size());
      assertTrue(
          threads.stream().noneMatch(n -> n.startsWith("nori-wal-writer")),
          "callbacks ran on the writer: " + threads.get(0));
    }
  }

  @Test
  void asyncAppendsCompleteInPositionOrder() throws Exception {
    try (Wal wal = Wal.open(config(FsyncPolicy.always()))) {
      List<Position> seen = new CopyOnWriteArrayList<>();
      List<CompletableFuture<?>> all = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        all.add(wal.appendAsync(WalRecord.put(b("k" + i), b("v"))).thenAccept(seen::add));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      for (int i = 1; i < seen.size(); i++) {
        assertTrue(seen.get(i - 1).compareTo(seen.get(i)) < 0, seen.get(i - 1) + " " + seen.get(i));
      }
    }
  }

  @Test
  void closeCalledFromACompletionCallbackFinishesAndReleasesTheDirectory() throws Exception {
    // Issue 8 scenario 4.
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          Wal wal = Wal.open(config(FsyncPolicy.always()));
          AtomicReference<Throwable> closeFailure = new AtomicReference<>();
          CompletableFuture<Void> closedInCallback =
              wal.appendAsync(WalRecord.put(b("k"), b("v")))
                  .thenAccept(
                      p -> {
                        try {
                          wal.close();
                        } catch (Exception e) {
                          closeFailure.set(e);
                        }
                      });
          closedInCallback.get();
          assertEquals(null, closeFailure.get());
          assertEquals(WalState.CLOSED, wal.state());
          try (Wal again = Wal.open(config(FsyncPolicy.always()))) {
            assertEquals(1, count(again));
          }
        });
  }

  @Test
  void closeCalledFromAListenerOnTheWriterThreadCompletesTheClose() throws Exception {
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          Wal wal = Wal.open(config(FsyncPolicy.always()));
          CompletableFuture<Void> asked = new CompletableFuture<>();
          wal.addListener(
              e -> {
                if (e instanceof WalEvent.FsyncCompleted && !asked.isDone()) {
                  try {
                    wal.close();
                    asked.complete(null);
                  } catch (Exception ex) {
                    asked.completeExceptionally(ex);
                  }
                }
              });
          wal.append(WalRecord.put(b("k"), b("v")));
          asked.get();
          wal.close(); // waits for the writer to finish the close it was asked for
          assertEquals(WalState.CLOSED, wal.state());
          assertTrue(Files.exists(dir.resolve(CleanMarker.FILE)));
        });
  }
}
