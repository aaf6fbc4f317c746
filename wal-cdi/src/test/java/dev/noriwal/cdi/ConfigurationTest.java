package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.RecoveryMode;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {
  @TempDir static Path dir;

  @AfterEach
  void clear() {
    TestLogs.clear("cfg", "plain", "mp-only", "badcfg");
  }

  @Dependent
  public static class Configured {
    @Inject
    @Durable("cfg")
    Wal cfg;

    @Inject
    @Durable("plain")
    Wal plain;

    @Inject
    @Durable("mp-only")
    Wal mpOnly;
  }

  @Dependent
  public static class Misconfigured {
    @Inject
    @Durable("badcfg")
    Wal bad;
  }

  @Test
  void systemPropertiesConfigureEachLogAndUnsetKeysGetDefaults() {
    TestLogs.directories(dir, "cfg", "mp-only");
    TestLogs.set("cfg", "fsync", "os");
    TestLogs.set("cfg", "segment-size", "2MiB");
    TestLogs.set("cfg", "recovery", "salvage");

    try (WeldContainer c = TestLogs.weld(Configured.class).initialize()) {
      Configured bean = c.select(Configured.class).get();

      WalConfig cfg = bean.cfg.config();
      assertEquals(dir.resolve("cfg"), cfg.directory());
      assertEquals(FsyncPolicy.os(), cfg.fsyncPolicy());
      assertEquals(2L * 1024 * 1024, cfg.maxSegmentSize());
      assertEquals(RecoveryMode.SALVAGE, cfg.recoveryMode());

      // Only the base directory is set (by the build, nori.wal.base-dir): everything else defaults.
      WalConfig plain = bean.plain.config();
      assertEquals(
          Path.of(System.getProperty("nori.wal.base-dir")).resolve("plain").toAbsolutePath(),
          plain.directory());
      assertEquals(WalConfig.DEFAULT_FSYNC_POLICY, plain.fsyncPolicy());
      assertEquals(WalConfig.DEFAULT_MAX_SEGMENT_SIZE, plain.maxSegmentSize());
      assertEquals(WalConfig.DEFAULT_RECOVERY_MODE, plain.recoveryMode());
    }
  }

  @Test
  void microProfileConfigIsUsedWhenPresent() {
    // src/test/resources/META-INF/microprofile-config.properties sets these; no system property
    // does, so only MicroProfile Config (SmallRye on the test class path) can supply them.
    TestLogs.directories(dir, "cfg", "mp-only");
    try (WeldContainer c = TestLogs.weld(Configured.class).initialize()) {
      WalConfig mp = c.select(Configured.class).get().mpOnly.config();
      assertEquals(FsyncPolicy.always(), mp.fsyncPolicy());
      assertEquals(3L * 1024 * 1024, mp.maxSegmentSize());
    }
  }

  @Test
  void badValueFailsTheDeploymentNamingKeyAndValue() {
    TestLogs.directories(dir, "badcfg");
    TestLogs.set("badcfg", "fsync", "sometimes");

    DeploymentException e =
        assertThrows(
            DeploymentException.class, () -> TestLogs.weld(Misconfigured.class).initialize());

    String messages = TestLogs.messages(e);
    assertTrue(messages.contains("NORIWAL-CDI-010"), messages);
    assertTrue(messages.contains("nori.wal.badcfg.fsync=sometimes"), messages);
  }
}
