package dev.noriwal.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelaySettingsTest {
  private static final String WHERE = "nori.wal.orders.kafka.";

  @Test
  void parsesRelayKeysAndPassesProducerPropertiesThrough() {
    RelaySettings s =
        RelaySettings.parse(
            "orders",
            Map.of(
                "bootstrap-servers", "127.0.0.1:1234",
                "topic", "orders-events",
                "max-records-per-transaction", "500",
                "linger.ms", "5",
                "compression.type", "lz4"),
            WHERE);
    assertEquals("orders", s.name());
    assertEquals("orders-events", s.topic());
    assertEquals("nori-wal-orders-orders-events", s.transactionalId());
    assertEquals(500, s.maxRecordsPerTransaction());
    assertEquals("5", s.producerConfig().get("linger.ms"));
    assertEquals("lz4", s.producerConfig().get("compression.type"));
    assertEquals("all", s.producerConfig().get("acks"));
    assertEquals("true", s.producerConfig().get("enable.idempotence"));
    assertEquals("nori-wal-orders-orders-events", s.producerConfig().get("transactional.id"));
    assertEquals("read_committed", s.tailConsumerConfig().get("isolation.level"));
    assertEquals("127.0.0.1:1234", s.tailConsumerConfig().get("bootstrap.servers"));
  }

  @Test
  void aTypoInASettingIsAnErrorNamingTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RelaySettings.parse(
                    "orders",
                    Map.of("bootstrap-servers", "h:1", "topic", "t", "linger.msec", "5"),
                    WHERE));
    assertTrue(e.getMessage().contains("nori.wal.orders.kafka.linger.msec"), e.getMessage());
  }

  @Test
  void settingsThatWouldBreakExactlyOnceAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RelaySettings.parse(
                    "orders",
                    Map.of("bootstrap-servers", "h:1", "topic", "t", "acks", "1"),
                    WHERE));
    assertTrue(e.getMessage().contains("acks"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RelaySettings.parse(
                "orders",
                Map.of("bootstrap-servers", "h:1", "topic", "t", "enable.idempotence", "false"),
                WHERE));
  }

  @Test
  void aMissingTopicOrBootstrapIsAnErrorNamingTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RelaySettings.parse("orders", Map.of("bootstrap-servers", "h:1"), WHERE));
    assertEquals(WHERE + "topic is required", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RelaySettings.parse("orders", Map.of("topic", "t"), WHERE));
    assertEquals(WHERE + "bootstrap-servers is required", e.getMessage());
  }

  @Test
  void aNumberThatIsNotANumberIsAnErrorNamingTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RelaySettings.parse(
                    "orders",
                    Map.of("bootstrap-servers", "h:1", "topic", "t", "max-backoff-ms", "10s"),
                    WHERE));
    assertEquals(WHERE + "max-backoff-ms must be a whole number: 10s", e.getMessage());
  }

  @Test
  void theBuilderRefusesASettingMadeTwice() {
    RelaySettings.Builder b = RelaySettings.builder("h:1", "t").name("a");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.name("b"));
    assertEquals("name is set twice", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> RelaySettings.builder("h:1", "t").producerProperty("bootstrap.servers", "x:2"));
  }

  @Test
  void theStandaloneRelayRejectsAnUnknownArgumentWithUsage(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(
        2, RelayMain.run(new String[] {"--log", dir.toString(), "--topik", "t"}, System.out, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown argument: --topik"));
    err.reset();
    assertEquals(
        2,
        RelayMain.run(
            new String[] {
              "--log",
              dir.toString(),
              "--bootstrap",
              "h:1",
              "--topic",
              "t",
              "--property",
              "batch.sizee=1"
            },
            System.out,
            e));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("--batch.sizee"),
        err.toString(StandardCharsets.UTF_8));
  }
}
