package dev.noriwal.demo.embedded;

import dev.noriwal.demo.Ledger;
import dev.noriwal.demo.LedgerEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The second process of the "past one machine" demo: {@code ./demo-balances.sh --bootstrap
 * HOST:PORT [--topic ledger-events] [--follow]}. Reads the ledger's events from Kafka with a {@code
 * read_committed} consumer (so it sees each event once, in the ledger's order), folds them with the
 * same {@link Ledger} rules the server uses, and prints one line per account, {@code account
 * balance}, then {@code total N (E events)}. Without {@code --follow} it stops at the end of the
 * topic; with it, it prints the balances again after each new batch of events.
 */
public final class LedgerBalances {
  private LedgerBalances() {}

  public static void main(String[] args) {
    String bootstrap = null;
    String topic = LedgerPublishing.DEFAULT_TOPIC;
    boolean follow = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bootstrap" -> bootstrap = value(args, ++i, "--bootstrap");
        case "--topic" -> topic = value(args, ++i, "--topic");
        case "--follow" -> follow = true;
        default -> usage("unknown argument: " + args[i]);
      }
    }
    if (bootstrap == null) {
      usage("--bootstrap HOST:PORT is required");
    }
    run(bootstrap, topic, follow, System.out);
  }

  static void run(String bootstrap, String topic, boolean follow, PrintStream out) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
            ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    Ledger ledger = new Ledger();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
      if (infos.isEmpty()) {
        System.err.println(
            "topic '"
                + topic
                + "' does not exist on "
                + bootstrap
                + " (start the ledger with ./demo.sh --kafka "
                + bootstrap
                + ")");
        System.exit(1);
      }
      for (PartitionInfo p : infos) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
      while (!reached(consumer, end)) {
        fold(consumer, ledger);
      }
      print(ledger, out);
      while (follow) {
        if (fold(consumer, ledger) > 0) {
          print(ledger, out);
        }
      }
    }
  }

  private static int fold(KafkaConsumer<byte[], byte[]> consumer, Ledger ledger) {
    int n = 0;
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
      if (r.value() != null) {
        ledger.apply(LedgerEvent.fromValue(r.value()));
        n++;
      }
    }
    return n;
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static void print(Ledger ledger, PrintStream out) {
    ledger.balances().forEach((account, balance) -> out.println(account + " " + balance));
    out.println("total " + ledger.total() + " (" + ledger.events() + " events)");
    out.flush();
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      usage(option + " needs a value");
    }
    return args[i];
  }

  private static void usage(String message) {
    System.err.println(message);
    System.err.println(
        "usage: demo-balances.sh --bootstrap HOST:PORT [--topic "
            + LedgerPublishing.DEFAULT_TOPIC
            + "] [--follow]");
    System.exit(2);
  }
}
