package dev.noriwal.kafka;

import dev.noriwal.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;

/**
 * Reads back, with a {@code read_committed} consumer, how far a relay has published: the largest
 * {@link RelayHeaders#NEXT} among the relay's committed records at the end of each partition of the
 * topic. Not thread-safe; used by the relay thread before each session.
 *
 * <p>Each partition is read backwards in growing windows from its last stable offset until a record
 * of this relay turns up (or the partition's start is reached), so a topic written only by this
 * relay costs one short read per partition.
 */
final class PublishedTail {
  private static final int FIRST_WINDOW = 64;

  private PublishedTail() {}

  /** Thrown when the topic does not exist: a configuration problem, not an outage. */
  static final class MissingTopicException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingTopicException(String message) {
      super(message);
    }
  }

  /**
   * The position after the last record {@code relayId} committed to {@code topic}, or {@code null}
   * when the topic holds none of its records.
   */
  static @Nullable Position find(RelaySettings settings, Duration timeout) {
    Map<String, Object> config = new TreeMap<>(settings.tailConsumerConfig());
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(settings.topic(), timeout);
      if (infos == null || infos.isEmpty()) {
        throw new MissingTopicException(
            "topic '"
                + settings.topic()
                + "' does not exist on "
                + settings.bootstrapServers()
                + " (create it; the relay does not)");
      }
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo i : infos) {
        partitions.add(new TopicPartition(i.topic(), i.partition()));
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      Position best = null;
      for (TopicPartition tp : partitions) {
        long b = Objects.requireNonNull(begin.get(tp), () -> "no beginning offset for " + tp);
        long e = Objects.requireNonNull(end.get(tp), () -> "no end offset for " + tp);
        long window = FIRST_WINDOW;
        while (e > b) {
          long from = Math.max(b, e - window);
          Position found = lastNext(consumer, tp, from, e, settings.transactionalId(), deadline);
          if (found != null) {
            best = best == null || found.compareTo(best) > 0 ? found : best;
            break;
          }
          if (from == b) {
            break;
          }
          e = from;
          window *= 4;
        }
      }
      return best;
    }
  }

  private static @Nullable Position lastNext(
      KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition tp,
      long from,
      long end,
      String relayId,
      long deadline) {
    consumer.assign(List.of(tp));
    consumer.seek(tp, from);
    Position last = null;
    while (consumer.position(tp) < end) {
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException("reading the tail of " + tp + " took too long");
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
        if (r.offset() < end && relayId.equals(RelayHeaders.get(r.headers(), RelayHeaders.RELAY))) {
          last = RelayHeaders.position(r.headers(), RelayHeaders.NEXT);
        }
      }
    }
    return last;
  }
}
