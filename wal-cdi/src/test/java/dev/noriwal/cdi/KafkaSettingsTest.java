package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Wal;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {
  @TempDir static Path dir;

  @Dependent
  public static class Relayed {
    @Inject
    @Durable("relayed")
    Wal log;
  }

  @AfterEach
  void clear() {
    TestLogs.clear("relayed");
    for (String k : new String[] {"bootstrap-servers", "topic", "linger.msec"}) {
      System.clearProperty("nori.wal.relayed.kafka." + k);
    }
  }

  @Test
  void aTypoInAKafkaSettingFailsTheDeploymentNamingTheKey() {
    TestLogs.directories(dir, "relayed");
    TestLogs.set("relayed", "kafka.bootstrap-servers", "127.0.0.1:1");
    TestLogs.set("relayed", "kafka.topic", "events");
    TestLogs.set("relayed", "kafka.linger.msec", "5");
    DeploymentException e =
        assertThrows(
            DeploymentException.class, () -> TestLogs.weld(Relayed.class).initialize().close());
    String m = TestLogs.messages(e);
    assertTrue(
        m.contains("NORIWAL-CDI-021") && m.contains("nori.wal.relayed.kafka.linger.msec"), m);
  }

  @Test
  void aKafkaRelayWithoutATopicFailsTheDeploymentNamingTheKey() {
    TestLogs.directories(dir, "relayed");
    TestLogs.set("relayed", "kafka.bootstrap-servers", "127.0.0.1:1");
    DeploymentException e =
        assertThrows(
            DeploymentException.class, () -> TestLogs.weld(Relayed.class).initialize().close());
    String m = TestLogs.messages(e);
    assertTrue(
        m.contains("NORIWAL-CDI-021") && m.contains("nori.wal.relayed.kafka.topic is required"), m);
  }
}
