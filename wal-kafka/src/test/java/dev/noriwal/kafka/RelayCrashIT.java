package dev.noriwal.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Position;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the standalone relay ({@code java -jar wal-kafka-...-standalone.jar}, the README's command)
 * with SIGKILL mid-stream, several times, and restarts it: a {@code read_committed} consumer then
 * sees every record of the log exactly once, in order.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RelayCrashIT {
  private static final int RECORDS = 60_000;
  private static final int KILLS = 3;

  @TempDir Path brokerDir;
  @TempDir Path logDir;
  @TempDir Path work;

  @Test
  void killingTheRelayMidStreamAndRestartingPublishesEachRecordExactlyOnce() throws Exception {
    List<Position> positions = new ArrayList<>();
    try (Wal wal = Wal.open(WalConfig.builder(logDir).maxSegmentSize(1 << 20).build())) {
      byte[] value = new byte[100];
      for (int i = 0; i < RECORDS; i++) {
        byte[] v = value.clone();
        byte[] n = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, v, 0, n.length);
        positions.add(wal.append(WalRecord.put(("k" + i).getBytes(StandardCharsets.UTF_8), v)));
      }
    }
    try (KafkaBroker broker = new KafkaBroker(brokerDir).start()) {
      broker.createTopic("crash", 1, Map.of());
      int seen = 0;
      for (int kill = 1; kill <= KILLS; kill++) {
        Process relay = relay(broker, kill);
        // Kill once more records are committed than before: mid-stream, at a new place each time.
        int before = seen;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while ((seen = CommittedRecords.read(broker.bootstrap(), "crash").size()) <= before) {
          assertTrue(
              relay.isAlive(),
              "the relay finished before it could be killed; see "
                  + work.resolve("relay-" + kill + ".log"));
          assertTrue(System.nanoTime() < deadline, "no progress after restart " + kill);
          Thread.sleep(50);
        }
        relay.destroyForcibly();
        relay.waitFor();
        seen = CommittedRecords.read(broker.bootstrap(), "crash").size();
        assertTrue(seen < RECORDS, "killed mid-stream (" + seen + " of " + RECORDS + " committed)");
      }
      Process last = relay(broker, KILLS + 1);
      assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the last run did not finish");
      assertEquals(
          0, last.exitValue(), Files.readString(work.resolve("relay-" + (KILLS + 1) + ".log")));

      List<ConsumerRecord<byte[], byte[]>> got = CommittedRecords.read(broker.bootstrap(), "crash");
      assertEquals(RECORDS, got.size(), "each record exactly once");
      for (int i = 0; i < RECORDS; i++) {
        ConsumerRecord<byte[], byte[]> r = got.get(i);
        assertEquals("k" + i, new String(r.key(), StandardCharsets.UTF_8), "offset " + r.offset());
        assertEquals(positions.get(i), RelayHeaders.position(r.headers(), RelayHeaders.POSITION));
      }
    }
  }

  private Process relay(KafkaBroker broker, int run) throws Exception {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-jar",
            System.getProperty("standalone.jar"),
            "--log",
            logDir.toString(),
            "--bootstrap",
            broker.bootstrap(),
            "--topic",
            "crash",
            "--property",
            "max-records-per-transaction=200")
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("relay-" + run + ".log").toFile())
        .start();
  }
}
