package dev.noriwal.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Position;
import dev.noriwal.SegmentDeletion;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The relay against one real KRaft broker in a child JVM, shared by the tests of this class. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaRelayIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path brokerDir;
  private static KafkaBroker broker;

  @TempDir Path logDir;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = new KafkaBroker(brokerDir).start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private RelaySettings.Builder settings(String name, String topic) {
    return RelaySettings.builder(broker.bootstrap(), topic)
        .name(name)
        .initialBackoff(Duration.ofMillis(50))
        .maxBackoff(Duration.ofMillis(500));
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void nRecordsBecomeExactlyNMessagesInLogOrderWithPositionsAndTtlInHeaders() throws Exception {
    broker.createTopic("orders", 1, Map.of());
    int n = 5_000;
    List<Position> positions = new ArrayList<>();
    try (Wal wal = Wal.open(WalConfig.builder(logDir).build());
        KafkaRelay relay =
            KafkaRelay.start(
                wal, settings("orders", "orders").maxRecordsPerTransaction(700).build())) {
      for (int i = 0; i < n; i++) {
        WalRecord r =
            i % 10 == 0
                ? WalRecord.putWithTtl(utf8("k" + i), utf8("v" + i), Duration.ofSeconds(i))
                : WalRecord.put(utf8("k" + i), utf8("v" + i));
        positions.add(wal.append(r));
      }
      assertTrue(relay.awaitPublished(WAIT), () -> "not published: " + relay.status());
      assertEquals(n, relay.status().recordsPublished());
      assertEquals(0, relay.status().lagBytes());
      assertEquals(0, relay.status().lagRecords());
    }
    List<ConsumerRecord<byte[], byte[]>> got = CommittedRecords.read(broker.bootstrap(), "orders");
    assertEquals(n, got.size());
    for (int i = 0; i < n; i++) {
      ConsumerRecord<byte[], byte[]> r = got.get(i);
      assertEquals("k" + i, text(r.key()));
      assertEquals("v" + i, text(r.value()));
      assertEquals(positions.get(i), RelayHeaders.position(r.headers(), RelayHeaders.POSITION));
      Position next = i + 1 < n ? positions.get(i + 1) : null;
      if (next != null) {
        assertEquals(next, RelayHeaders.position(r.headers(), RelayHeaders.NEXT));
      }
      assertEquals(
          i % 10 == 0 ? String.valueOf(i * 1000L) : null,
          RelayHeaders.get(r.headers(), RelayHeaders.TTL_MS));
    }
  }

  @Test
  void eachTransactionIsAFlightRecorderEventWithItsRecordsAndPositions() throws Exception {
    broker.createTopic("recorded", 1, Map.of());
    try (Recording recording = new Recording()) {
      recording.enable("dev.noriwal.kafka.Transaction");
      recording.start();
      try (Wal wal = Wal.open(WalConfig.builder(logDir).build());
          KafkaRelay relay =
              KafkaRelay.start(
                  wal, settings("recorded", "recorded").maxRecordsPerTransaction(10).build())) {
        relay.pause();
        await("PAUSED", () -> relay.status().state() == RelayState.PAUSED);
        for (int i = 0; i < 25; i++) {
          wal.append(WalRecord.put(utf8("j" + i), utf8("v")));
        }
        // Under the default batch policy readers see forced bytes only, and append() returns
        // before the force: without the sync the relay may wake on a force that covers only the
        // first records and commit them as a transaction of their own (flush() is not enough: it
        // writes without forcing).
        wal.sync();
        relay.resume();
        assertTrue(relay.awaitPublished(WAIT), () -> relay.status().toString());
      }
      recording.stop();
      Path file = logDir.resolve("relay.jfr");
      recording.dump(file);
      List<RecordedEvent> events =
          RecordingFile.readAllEvents(file).stream()
              .filter(e -> e.getEventType().getName().equals("dev.noriwal.kafka.Transaction"))
              .toList();
      assertEquals(List.of(10, 10, 5), events.stream().map(e -> e.getInt("records")).toList());
      assertTrue(events.stream().allMatch(e -> e.getBoolean("committed")));
      assertEquals("0:0", events.get(0).getString("firstPosition"));
      assertEquals(
          events.get(0).getString("nextPosition"), events.get(1).getString("firstPosition"));
    }
  }

  @Test
  void aRestartedRelayContinuesAfterWhatItPublishedWithoutRepeatingIt() throws Exception {
    broker.createTopic("restart", 1, Map.of());
    try (Wal wal = Wal.open(WalConfig.builder(logDir).build())) {
      for (int i = 0; i < 100; i++) {
        wal.append(WalRecord.put(utf8("a" + i), utf8("x")));
      }
      try (KafkaRelay relay = KafkaRelay.start(wal, settings("restart", "restart").build())) {
        assertTrue(relay.awaitPublished(WAIT), () -> relay.status().toString());
      }
      for (int i = 0; i < 50; i++) {
        wal.append(WalRecord.put(utf8("b" + i), utf8("y")));
      }
      try (KafkaRelay relay = KafkaRelay.start(wal, settings("restart", "restart").build())) {
        assertTrue(relay.awaitPublished(WAIT), () -> relay.status().toString());
        assertEquals(50, relay.status().recordsPublished());
      }
    }
    List<ConsumerRecord<byte[], byte[]>> got = CommittedRecords.read(broker.bootstrap(), "restart");
    assertEquals(150, got.size());
    assertEquals("a0", text(got.get(0).key()));
    assertEquals("b0", text(got.get(100).key()));
    assertEquals("b49", text(got.get(149).key()));
  }

  @Test
  void onATopicWithSeveralPartitionsARestartedRelayResumesAfterTheLargestPublishedPosition()
      throws Exception {
    broker.createTopic("spread", 3, Map.of());
    try (Wal wal = Wal.open(WalConfig.builder(logDir).build())) {
      for (int i = 0; i < 300; i++) {
        wal.append(WalRecord.put(utf8("p" + i), utf8("x")));
      }
      try (KafkaRelay relay =
          KafkaRelay.start(
              wal, settings("spread", "spread").maxRecordsPerTransaction(70).build())) {
        assertTrue(relay.awaitPublished(WAIT), () -> relay.status().toString());
      }
      for (int i = 300; i < 400; i++) {
        wal.append(WalRecord.put(utf8("p" + i), utf8("y")));
      }
      try (KafkaRelay relay = KafkaRelay.start(wal, settings("spread", "spread").build())) {
        assertTrue(relay.awaitPublished(WAIT), () -> relay.status().toString());
        assertEquals(100, relay.status().recordsPublished());
      }
    }
    List<ConsumerRecord<byte[], byte[]>> got = CommittedRecords.read(broker.bootstrap(), "spread");
    assertEquals(400, got.size());
    assertEquals(400, got.stream().map(r -> text(r.key())).distinct().count(), "none twice");
    assertTrue(
        got.stream().map(ConsumerRecord::partition).distinct().count() > 1,
        "the keys spread over the partitions");
  }

  @Test
  void tombstonesReachACompactedTopicAsNullValues() throws Exception {
    broker.createTopic("balances", 1, Map.of("cleanup.policy", "compact"));
    try (Wal wal = Wal.open(WalConfig.builder(logDir).build());
        KafkaRelay relay = KafkaRelay.start(wal, settings("balances", "balances").build())) {
      wal.append(WalRecord.put(utf8("alice"), utf8("10")));
      wal.append(WalRecord.put(utf8("bob"), utf8("5")));
      wal.append(WalRecord.delete(utf8("alice")));
      assertTrue(relay.awaitPublished(WAIT), () -> relay.status().toString());
    }
    List<ConsumerRecord<byte[], byte[]>> got =
        CommittedRecords.read(broker.bootstrap(), "balances");
    assertEquals(List.of("alice", "bob", "alice"), got.stream().map(r -> text(r.key())).toList());
    assertEquals("10", text(got.get(0).value()));
    assertNull(got.get(2).value(), "a tombstone is a Kafka tombstone (null value)");
  }

  @Test
  void retentionKeepsSegmentsTheRelayHasNotPublishedAndNamesIt() throws Exception {
    broker.createTopic("retained", 1, Map.of());
    byte[] value = new byte[1000];
    try (Wal wal = Wal.open(WalConfig.builder(logDir).maxSegmentSize(1 << 20).build());
        KafkaRelay relay = KafkaRelay.start(wal, settings("retained", "retained").build())) {
      await("RUNNING", () -> relay.status().state() == RelayState.RUNNING);
      relay.pause();
      await("PAUSED", () -> relay.status().state() == RelayState.PAUSED);
      Position published = relay.status().published();
      for (int i = 0; i < 3_500; i++) {
        wal.append(WalRecord.put(utf8("r" + i), value));
      }
      wal.rotate();
      assertTrue(wal.segments().size() >= 4, () -> "segments: " + wal.segments());
      int before = wal.segments().size();

      SegmentDeletion held = wal.deleteSegmentsBefore(wal.currentPosition());
      assertTrue(held.held());
      assertEquals(List.of("kafka-relay " + relay.settings().transactionalId()), held.heldBy());
      assertEquals(0, held.deleted());
      assertEquals(before, wal.segments().size());
      assertEquals(published, relay.status().published());
      assertTrue(relay.status().lagBytes() > 3_500_000L, () -> relay.status().toString());

      relay.resume();
      assertTrue(relay.awaitPublished(WAIT), () -> relay.status().toString());
      SegmentDeletion done = wal.deleteSegmentsBefore(wal.currentPosition());
      assertFalse(done.held(), done::toString);
      assertEquals(before - 1, done.deleted());
    }
    assertEquals(3_500, CommittedRecords.read(broker.bootstrap(), "retained").size());
  }

  @Test
  void aRecordTooLargeStopsTheRelayNamingItsPositionAndSkipsNothing() throws Exception {
    broker.createTopic("large", 1, Map.of());
    Position big;
    try (Wal wal = Wal.open(WalConfig.builder(logDir).build());
        KafkaRelay relay =
            KafkaRelay.start(
                wal,
                settings("large", "large").producerProperty("max.request.size", "20000").build())) {
      for (int i = 0; i < 10; i++) {
        wal.append(WalRecord.put(utf8("s" + i), utf8("small")));
      }
      assertTrue(relay.awaitPublished(WAIT), () -> relay.status().toString());
      big = wal.append(WalRecord.put(utf8("big"), new byte[50_000]));
      wal.append(WalRecord.put(utf8("after"), utf8("small")));
      await("STOPPED", () -> relay.status().state() == RelayState.STOPPED);
      RelayStatus s = relay.status();
      assertTrue(s.lastError().contains("position " + big), s.lastError());
      assertTrue(
          s.lastError().contains("larger than the producer or broker accepts"), s.lastError());
      assertEquals(big, s.published());
      assertFalse(relay.awaitPublished(Duration.ofMillis(10)));
    }
    List<ConsumerRecord<byte[], byte[]>> got = CommittedRecords.read(broker.bootstrap(), "large");
    assertEquals(10, got.size(), "the records before it, and none after it");
  }

  @Test
  void aMissingTopicIsAClearStateUntilTheTopicIsCreated() throws Exception {
    try (Wal wal = Wal.open(WalConfig.builder(logDir).build());
        KafkaRelay relay = KafkaRelay.start(wal, settings("late", "late-topic").build())) {
      wal.append(WalRecord.put(utf8("k"), utf8("v")));
      await("MISCONFIGURED", () -> relay.status().state() == RelayState.MISCONFIGURED);
      assertTrue(
          relay.status().lastError().contains("topic 'late-topic' does not exist"),
          relay.status().lastError());
      broker.createTopic("late-topic", 1, Map.of());
      assertTrue(relay.awaitPublished(WAIT), () -> relay.status().toString());
      assertEquals(RelayState.RUNNING, relay.status().state());
    }
    assertEquals(1, CommittedRecords.read(broker.bootstrap(), "late-topic").size());
  }

  @Test
  void theMxBeanShowsStateAndLagAndPausesTheRelay() throws Exception {
    broker.createTopic("managed", 1, Map.of());
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("dev.noriwal:type=Relay,name=managed");
    try (Wal wal = Wal.open(WalConfig.builder(logDir).build());
        KafkaRelay relay = KafkaRelay.start(wal, settings("managed", "managed").build())) {
      await("RUNNING", () -> relay.status().state() == RelayState.RUNNING);
      server.invoke(name, "pause", new Object[0], new String[0]);
      await("PAUSED", () -> "PAUSED".equals(attribute(server, name, "State")));
      wal.append(WalRecord.put(utf8("k"), utf8("v")));
      assertTrue((Long) server.getAttribute(name, "LagBytes") > 0);
      assertEquals(1L, server.getAttribute(name, "LagRecords"));
      server.invoke(name, "resume", new Object[0], new String[0]);
      assertTrue(relay.awaitPublished(WAIT));
      assertEquals(0L, server.getAttribute(name, "LagBytes"));
      assertEquals(
          wal.currentPosition().toString(), server.getAttribute(name, "PublishedPosition"));
      MBeanInfo info = server.getMBeanInfo(name);
      for (MBeanAttributeInfo a : info.getAttributes()) {
        assertFalse(a.getDescription().equals(a.getName()), a.getName() + " has no description");
      }
      assertTrue(Arrays.stream(info.getAttributes()).anyMatch(a -> a.getName().equals("State")));
    }
    assertFalse(server.isRegistered(name), "close() unregisters the MXBean");
  }

  private static Object attribute(MBeanServer server, ObjectName name, String attribute) {
    try {
      return server.getAttribute(name, attribute);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
