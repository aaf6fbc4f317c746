package dev.noriwal.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the broker (SIGKILL) while the application appends and the relay publishes, then starts it
 * again: the application never stops appending, JMX says the relay is backing off, and in the end
 * every record is in the topic once, in order.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BrokerRestartIT {
  @TempDir Path brokerDir;
  @TempDir Path logDir;

  @Test
  void aBrokerRestartMidStreamLosesNothingAndRepeatsNothing() throws Exception {
    try (KafkaBroker broker = new KafkaBroker(brokerDir).start()) {
      broker.createTopic("events", 1, Map.of());
      RelaySettings settings =
          RelaySettings.builder(broker.bootstrap(), "events")
              .name("restart-events")
              .initialBackoff(Duration.ofMillis(100))
              .maxBackoff(Duration.ofSeconds(1))
              // Notice an outage within seconds rather than the producer's default minute.
              .producerProperty("max.block.ms", "3000")
              .producerProperty("request.timeout.ms", "2000")
              .producerProperty("delivery.timeout.ms", "5000")
              .build();
      ObjectName mbean = new ObjectName("dev.noriwal:type=Relay,name=restart-events");
      AtomicInteger appended = new AtomicInteger();
      try (Wal wal = Wal.open(WalConfig.builder(logDir).build());
          KafkaRelay relay = KafkaRelay.start(wal, settings)) {
        Thread app =
            new Thread(
                () -> {
                  try {
                    while (!Thread.currentThread().isInterrupted()) {
                      int i = appended.get();
                      wal.append(
                          WalRecord.put(
                              ("e" + i).getBytes(StandardCharsets.UTF_8),
                              ("payload " + i).getBytes(StandardCharsets.UTF_8)));
                      appended.incrementAndGet();
                      Thread.sleep(1);
                    }
                  } catch (InterruptedException e) {
                    // stop appending
                  } catch (Exception e) {
                    throw new AssertionError(e);
                  }
                },
                "application");
        app.start();
        awaitState(relay, "some records published", () -> relay.status().recordsPublished() > 200);

        broker.kill();
        int atKill = appended.get();
        awaitState(relay, "BACKING_OFF", () -> "BACKING_OFF".equals(attribute(mbean, "State")));
        assertTrue(!((String) attribute(mbean, "LastError")).isEmpty());
        int whileDown = appended.get();
        awaitState(
            relay, "appends while the broker is down", () -> appended.get() > whileDown + 200);
        assertTrue(appended.get() > atKill, "the application kept appending");

        broker.start();
        awaitState(
            relay,
            "RUNNING again",
            () ->
                relay.status().state() == RelayState.RUNNING
                    && relay.status().recordsPublished() > appended.get() - 100);
        app.interrupt();
        app.join();
        assertTrue(relay.awaitPublished(Duration.ofSeconds(60)), () -> relay.status().toString());
      }
      List<ConsumerRecord<byte[], byte[]>> got =
          CommittedRecords.read(broker.bootstrap(), "events");
      assertEquals(appended.get(), got.size(), "each appended record exactly once");
      for (int i = 0; i < got.size(); i++) {
        assertEquals("e" + i, new String(got.get(i).key(), StandardCharsets.UTF_8));
      }
    }
  }

  private static Object attribute(ObjectName name, String attribute) {
    try {
      return ManagementFactory.getPlatformMBeanServer().getAttribute(name, attribute);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void awaitState(
      KafkaRelay relay, String what, java.util.function.BooleanSupplier ok)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + ": " + relay.status());
      }
      Thread.sleep(20);
    }
  }
}
