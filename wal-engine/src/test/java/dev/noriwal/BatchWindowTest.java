package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, scenario 11: {@code batch(window)} keeps its word when forces are slower than the
 * window. The forces here are held by a gate, so nothing depends on how fast this machine is.
 */
class BatchWindowTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void noAppendIsAcknowledgedWhileAnEarlierAcknowledgedOneIsUnforcedPastTheWindow()
      throws Exception {
    FaultyChannel.Plan plan = FaultInjectionTest.firstSegmentPlan();
    CountDownLatch gate = new CountDownLatch(1);
    try (Wal wal =
        SegmentedWal.open(
            WalConfig.builder(dir)
                .maxSegmentSize(1 << 20)
                .fsyncPolicy(FsyncPolicy.batch(Duration.ofMillis(5)))
                .build(),
            plan.opener())) {
      plan.forceGate = gate;
      try {
        Position first = wal.append(WalRecord.put(b("first"), b("acknowledged before the force")));
        // The window elapses and the writer starts the force, which the gate holds: a slow disk.
        while (plan.forcesWaiting.get() == 0) {
          Thread.sleep(1);
        }
        WalStats during = wal.stats();
        assertTrue(during.unforcedBytes() > 0, during.toString());
        assertTrue(during.oldestUnforcedAgeNanos() > 0, during.toString());
        assertEquals(new Position(0, 0), during.durablePosition());
        CompletableFuture<Position> second =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return wal.append(WalRecord.put(b("second"), b("must wait for the force")));
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                });
        // While the force is held, the second append is not acknowledged, however long we look.
        for (int i = 0; i < 20; i++) {
          Thread.sleep(10);
          assertFalse(second.isDone(), "acknowledged while the first append was still unforced");
        }
        plan.forceGate = null;
        gate.countDown();
        Position p = second.get(30, TimeUnit.SECONDS);
        assertTrue(p.compareTo(first) > 0);
      } finally {
        plan.forceGate = null;
        gate.countDown();
      }
      wal.sync();
      WalStats after = wal.stats();
      assertEquals(0, after.unforcedBytes(), after.toString());
      assertEquals(0, after.oldestUnforcedAgeNanos(), after.toString());
    }
  }

  @Test
  void underSlowForcesEveryAcknowledgedAppendIsCoveredByAForceBeforeMoreAreAcknowledged()
      throws Exception {
    // Many appenders against forces that each wait for the test: the acknowledged-but-unforced
    // bytes never grow beyond what was acknowledged within one window before a force began.
    FaultyChannel.Plan plan = FaultInjectionTest.firstSegmentPlan();
    try (Wal wal =
        SegmentedWal.open(
            WalConfig.builder(dir)
                .maxSegmentSize(256 << 20) // no rotation: its forces go to another file
                .preallocate(false)
                .fsyncPolicy(FsyncPolicy.batch(Duration.ofMillis(2)))
                .build(),
            plan.opener())) {
      plan.forceGate = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      int seen = plan.forces.get(); // before any appender: the first force may come at once
      Thread[] appenders = new Thread[4];
      for (int t = 0; t < appenders.length; t++) {
        int id = t;
        appenders[t] =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; !stop.get(); i++) {
                      wal.append(WalRecord.put(b(id + "-" + i), new byte[100]));
                    }
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                });
        appenders[t].start();
      }
      try {
        for (int round = 0; round < 5; round++) {
          // Wait for the next force to start and reach the gate.
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (plan.forces.get() == seen || plan.forcesWaiting.get() == 0) {
            assertEquals(WalState.OPEN, wal.state(), () -> "failed: " + wal.failure());
            assertTrue(System.nanoTime() < deadline, "no force started within 30 s");
            Thread.sleep(1);
          }
          seen = plan.forces.get();
          long before = wal.stats().recordsAppended();
          Thread.sleep(50); // a slow force: appenders keep trying meanwhile
          assertEquals(
              before, wal.stats().recordsAppended(), "appends acknowledged during a force");
          CountDownLatch held = plan.forceGate;
          plan.forceGate = new CountDownLatch(1);
          held.countDown();
        }
      } finally {
        stop.set(true);
        CountDownLatch last = plan.forceGate;
        plan.forceGate = null;
        last.countDown();
      }
      for (Thread t : appenders) {
        t.join(30_000);
      }
      wal.sync();
      assertEquals(wal.stats().recordsAppended(), WalTest.readAll(wal).size());
    }
  }
}
