package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real child JVM (destroyForcibly, i.e. SIGKILL) at random moments while several threads
 * append under {@code always()} with 1 MiB segments (so kills land during rotation and
 * preallocation too), then reopens and checks that every acknowledged record is present at its
 * acknowledged position, byte-exact, in order. Iterations reuse the same directory, so each
 * recovery also proves the tail was sanitised for the next run.
 *
 * <p>Run longer: {@code mvn -pl wal-engine verify -Dit.test=WalCrashIT -Dcrash.iterations=200}
 */
class WalCrashIT {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedRecordSurvivesKillNine() throws Exception {
    int iterations = Integer.getInteger("crash.iterations", 12);
    Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));
    Map<Long, Position> acked = new ConcurrentHashMap<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    int runs = 0;
    for (int it = 0; it < iterations && System.nanoTime() < deadline; it++, runs++) {
      ProcessBuilder pb =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx256m",
              "-cp",
              System.getProperty("java.class.path"),
              CrashChild.class.getName(),
              dir.toString(),
              Integer.toString(1 + random.nextInt(8)),
              Long.toString((it + 1) * 1_000_000_000L));
      pb.redirectErrorStream(false);
      Process child = pb.start();
      CountDownLatch ready = new CountDownLatch(1);
      Thread pump =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    if (line.equals("READY")) {
                      ready.countDown();
                    } else if (line.startsWith("ACK ")) {
                      String[] f = line.split(" ", -1);
                      acked.put(
                          Long.parseLong(f[1]),
                          new Position(Long.parseLong(f[2]), Long.parseLong(f[3])));
                    }
                  }
                } catch (Exception e) {
                  // the child was killed mid-line
                }
              });
      pump.start();
      assertTrue(ready.await(60, TimeUnit.SECONDS), "child started");
      Thread.sleep(20 + random.nextInt(400));
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
      pump.join(10_000);
      verify(acked);
    }
    assertTrue(runs > 0);
    assertTrue(acked.size() > 100, "the children acknowledged appends: " + acked.size());
  }

  private void verify(Map<Long, Position> acked) throws Exception {
    Map<Position, Long> onDisk = new HashMap<>(); // position -> id (values are checked as read)
    try (Wal wal = Wal.open(WalConfig.builder(dir).maxSegmentSize(1 << 20).build());
        WalReader r = wal.readFrom(Position.START)) {
      assertTrue(wal.recoveryInfo().isClean(), wal.recoveryInfo().report());
      Position last = null;
      for (WalEntry e; (e = r.next()) != null; ) {
        if (last != null) {
          assertTrue(e.position().compareTo(last) > 0, "positions increase");
        }
        last = e.position();
        long id = Long.parseLong(new String(e.record().key(), StandardCharsets.US_ASCII));
        assertArrayEquals(
            CrashChild.value(id), e.record().value(), "record " + id + " is byte-exact");
        onDisk.put(e.position(), id);
      }
    }
    for (Map.Entry<Long, Position> a : acked.entrySet()) {
      Long id = onDisk.get(a.getValue());
      assertNotNull(
          id, "acknowledged record " + a.getKey() + " at " + a.getValue() + " is missing");
      assertEquals(a.getKey(), id, "the record at " + a.getValue() + " is the acknowledged one");
    }
  }
}
