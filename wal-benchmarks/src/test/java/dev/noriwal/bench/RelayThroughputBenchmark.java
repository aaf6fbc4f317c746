package dev.noriwal.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import dev.noriwal.kafka.KafkaBroker;
import dev.noriwal.kafka.KafkaRelay;
import dev.noriwal.kafka.RelayHeaders;
import dev.noriwal.kafka.RelaySettings;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Relay throughput beside plain Kafka producers, all against one real broker (KRaft, a child JVM on
 * loopback, data under {@code java.io.tmpdir}) in the same run. For each value size (100 B and 1
 * KiB, 8-byte keys) and round:
 *
 * <ul>
 *   <li><b>plain</b>: a default {@code KafkaProducer} (acks=all, idempotent) sends N records built
 *       in memory beforehand, then {@code flush()};
 *   <li><b>plain-tx</b>: the same, transactional, committing every 10,000 records (what the relay
 *       does by default);
 *   <li><b>plain-tx+headers</b>: the same with the three headers the relay puts on each record;
 *   <li><b>relay</b>: a log already holding the same N records (appended before the clock starts)
 *       is published by {@link KafkaRelay} from a cold start (producer, fencing, reading the
 *       topic's tail) until every record is committed.
 * </ul>
 *
 * MB/s counts key and value bytes. Ratio = relay / plain. {@code BenchmarksIT} runs it once with a
 * few thousand records to check that it works; its numbers are measured by hand.
 *
 * <p>Run: {@code mvn -B -pl wal-kafka -am install -DskipTests && mvn -B -pl wal-benchmarks
 * test-compile exec:exec@relay} (add {@code -Drelay.records=N -Drelay.rounds=R} to change the
 * defaults of 300,000 records of 100 B, a third as many of 1 KiB, and 3 rounds).
 */
public final class RelayThroughputBenchmark {
  private static final int KEY = 8;

  private RelayThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = Integer.getInteger("relay.records", 300_000);
    int rounds = Integer.getInteger("relay.rounds", 3);
    Path work = Files.createTempDirectory("relay-bench");
    System.out.printf(
        Locale.ROOT,
        "# broker and logs under %s, %d cores%n",
        work,
        Runtime.getRuntime().availableProcessors());
    List<String> rows = new ArrayList<>();
    try (KafkaBroker broker = new KafkaBroker(work.resolve("broker")).start()) {
      for (int size : new int[] {100, 1024}) {
        int n = size == 100 ? records : records / 3;
        double[] plain = new double[rounds];
        double[] plainTx = new double[rounds];
        double[] plainHeaders = new double[rounds];
        double[] relay = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          plain[r] = plain(broker, "plain-" + size + "-" + r, size, n, false);
          plainTx[r] = plain(broker, "plaintx-" + size + "-" + r, size, n, true);
          plainHeaders[r] = plain(broker, "plainh-" + size + "-" + r, size, n, true, true);
          relay[r] =
              relay(
                  broker,
                  work.resolve("log-" + size + "-" + r),
                  "relay-" + size + "-" + r,
                  size,
                  n);
          System.out.printf(
              Locale.ROOT,
              "%5d B round %d: plain %,.0f rec/s, plain-tx %,.0f rec/s, plain-tx+headers %,.0f"
                  + " rec/s, relay %,.0f rec/s%n",
              size,
              r + 1,
              plain[r],
              plainTx[r],
              plainHeaders[r],
              relay[r]);
        }
        double p = median(plain);
        double pt = median(plainTx);
        double ph = median(plainHeaders);
        double rl = median(relay);
        double mb = (KEY + size) / 1e6;
        rows.add(
            String.format(
                Locale.ROOT,
                "| %d B | %,d | %,.0f rec/s (%.1f MB/s) | %,.0f rec/s (%.1f MB/s) | %,.0f rec/s | %,.0f rec/s (%.1f MB/s) | %.2f |",
                size,
                n,
                p,
                p * mb,
                pt,
                pt * mb,
                ph,
                rl,
                rl * mb,
                rl / p));
      }
    }
    System.out.println();
    System.out.println(
        "| value | records | plain producer | plain transactional |"
            + " plain transactional + the relay's headers | relay | relay / plain |");
    System.out.println("|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.out.println("(median of " + rounds + " rounds)");
  }

  private static double plain(KafkaBroker broker, String topic, int size, int n, boolean tx)
      throws Exception {
    return plain(broker, topic, size, n, tx, false);
  }

  private static double plain(
      KafkaBroker broker, String topic, int size, int n, boolean tx, boolean headers)
      throws Exception {
    broker.createTopic(topic, 1, Map.of());
    List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>(n);
    Random random = new Random(size);
    for (int i = 0; i < n; i++) {
      byte[] value = new byte[size];
      random.nextBytes(value);
      RecordHeaders h = new RecordHeaders();
      if (headers) {
        // What the relay adds: its position, the next position and its transactional.id.
        h.add(RelayHeaders.POSITION, ("0:" + (long) i * (size + 12)).getBytes(UTF_8));
        h.add(RelayHeaders.NEXT, ("0:" + (long) (i + 1) * (size + 12)).getBytes(UTF_8));
        h.add(RelayHeaders.RELAY, ("nori-wal-" + topic + "-" + topic).getBytes(UTF_8));
      }
      batch.add(new ProducerRecord<>(topic, null, key(i), value, h));
    }
    Map<String, Object> config = new TreeMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
    if (tx) {
      config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-" + topic);
    }
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      if (tx) {
        p.initTransactions();
      }
      for (int i = 0; i < n; i++) {
        if (tx && i % RelaySettings.DEFAULT_MAX_RECORDS_PER_TRANSACTION == 0) {
          if (i > 0) {
            p.commitTransaction();
          }
          p.beginTransaction();
        }
        // Failures surface in flush() and commitTransaction(), as in the relay.
        Future<?> unused = p.send(batch.get(i));
      }
      if (tx) {
        p.commitTransaction();
      }
      p.flush();
      return n / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static double relay(KafkaBroker broker, Path dir, String topic, int size, int n)
      throws Exception {
    broker.createTopic(topic, 1, Map.of());
    Random random = new Random(size);
    try (Wal wal = Wal.open(WalConfig.builder(dir).fsyncPolicy(FsyncPolicy.os()).build())) {
      List<WalRecord> chunk = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] value = new byte[size];
        random.nextBytes(value);
        chunk.add(WalRecord.put(key(i), value));
        if (chunk.size() == 1000) {
          wal.appendBatch(chunk);
          chunk.clear();
        }
      }
      wal.appendBatch(chunk);
      wal.sync();
      long start = System.nanoTime();
      try (KafkaRelay relay =
          KafkaRelay.start(
              wal, RelaySettings.builder(broker.bootstrap(), topic).name(topic).build())) {
        if (!relay.awaitPublished(Duration.ofMinutes(10))) {
          throw new IllegalStateException("relay did not finish: " + relay.status());
        }
        return n / ((System.nanoTime() - start) / 1e9);
      }
    }
  }

  private static byte[] key(int i) {
    return ByteBuffer.allocate(KEY).putLong(i).array();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
