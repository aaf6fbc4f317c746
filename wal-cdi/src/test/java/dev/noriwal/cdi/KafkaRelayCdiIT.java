package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Wal;
import dev.noriwal.WalRecord;
import dev.noriwal.kafka.KafkaBroker;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code nori.wal.<name>.kafka.*} starts a relay for the log, against a real KRaft broker. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaRelayCdiIT {
  @TempDir Path dir;

  @Dependent
  public static class Orders {
    @Inject
    @Durable("kafka-orders")
    Wal log;
  }

  @Test
  void kafkaSettingsOfALogStartARelayThatPublishesItsRecords() throws Exception {
    try (KafkaBroker broker = new KafkaBroker(dir.resolve("broker")).start()) {
      broker.createTopic("orders", 1, Map.of());
      TestLogs.directories(dir, "kafka-orders");
      TestLogs.set("kafka-orders", "kafka.bootstrap-servers", broker.bootstrap());
      TestLogs.set("kafka-orders", "kafka.topic", "orders");
      TestLogs.set("kafka-orders", "kafka.linger.ms", "1");
      ObjectName relay = new ObjectName("dev.noriwal:type=Relay,name=kafka-orders");
      try (WeldContainer c = TestLogs.weld(Orders.class).initialize()) {
        Wal log = c.select(Orders.class).get().log;
        for (int i = 0; i < 3; i++) {
          log.append(
              WalRecord.put(
                  ("o" + i).getBytes(StandardCharsets.UTF_8),
                  "x".getBytes(StandardCharsets.UTF_8)));
        }
        assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(relay));
        List<String> keys = readKeys(broker.bootstrap(), "orders", 3);
        assertEquals(List.of("o0", "o1", "o2"), keys);
      } finally {
        TestLogs.clear("kafka-orders");
        for (String k : new String[] {"bootstrap-servers", "topic", "linger.ms"}) {
          System.clearProperty("nori.wal.kafka-orders.kafka." + k);
        }
      }
      assertFalse(
          ManagementFactory.getPlatformMBeanServer().isRegistered(relay),
          "the relay stops with the deployment");
    }
  }

  private static List<String> readKeys(String bootstrap, String topic, int n) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (keys.size() < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          keys.add(new String(r.key(), StandardCharsets.UTF_8));
        }
      }
    }
    return keys;
  }
}
