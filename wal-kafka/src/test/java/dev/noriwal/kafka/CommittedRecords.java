package dev.noriwal.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads what a {@code read_committed} consumer sees in a topic, from its start to its end. */
final class CommittedRecords {
  private CommittedRecords() {}

  /** Every committed record of {@code topic}, partition by partition, in offset order. */
  static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic) {
    Map<String, Object> c = new TreeMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        parts.add(new TopicPartition(topic, p.partition()));
      }
      parts.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
      for (TopicPartition tp : parts) {
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (consumer.position(tp) < end) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("reading " + tp + " to offset " + end + " took over 60 s");
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            if (r.offset() < end) {
              out.add(r);
            }
          }
        }
      }
    }
    return out;
  }
}
