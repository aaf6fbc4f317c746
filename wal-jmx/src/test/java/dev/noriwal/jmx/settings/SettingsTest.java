package dev.noriwal.jmx.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.RecoveryMode;
import dev.noriwal.WalConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private static SettingSource source(Map<String, String> m) {
    return SettingSource.of(m, "test");
  }

  @Test
  void everySettingOfTheVocabularyBuildsTheConfigurationAndSaysWhereItCameFrom() {
    Settings.Resolution r =
        Settings.resolve(
            "orders",
            source(
                Map.of(
                    "nori.wal.orders.directory", "/var/wal/orders",
                    "nori.wal.orders.fsync", "always",
                    "nori.wal.orders.segment-size", "64MiB",
                    "nori.wal.orders.recovery", "salvage",
                    "nori.wal.orders.preallocate", "false",
                    "nori.wal.orders.codec", "jsonb")));

    assertEquals(List.of(), r.problems());
    LogSettings s = r.settings().orElseThrow();
    WalConfig c = s.config();
    assertEquals(Path.of("/var/wal/orders"), c.directory());
    assertEquals(FsyncPolicy.always(), c.fsyncPolicy());
    assertEquals(64L << 20, c.maxSegmentSize());
    assertEquals(RecoveryMode.SALVAGE, c.recoveryMode());
    assertFalse(c.preallocate());
    assertEquals(Optional.of("jsonb"), s.codec());
    assertEquals(
        "log \"orders\": directory=/var/wal/orders (nori.wal.orders.directory, test),"
            + " fsync=always (nori.wal.orders.fsync, test),"
            + " segment-size=64MiB (nori.wal.orders.segment-size, test),"
            + " recovery=salvage (nori.wal.orders.recovery, test),"
            + " preallocate=false (nori.wal.orders.preallocate, test),"
            + " codec=jsonb (nori.wal.orders.codec, test)",
        s.describe());
  }

  @Test
  void unsetSettingsAreDescribedAsDefaults() {
    LogSettings s =
        Settings.resolve("orders", source(Map.of("nori.wal.base-dir", "/data")))
            .settings()
            .orElseThrow();

    assertEquals(Path.of("/data/orders"), s.config().directory());
    assertEquals(
        "log \"orders\": directory=/data/orders (nori.wal.base-dir/orders, test),"
            + " fsync=batch:5ms (default), segment-size=128MiB (default),"
            + " recovery=TOLERATE_TORN_TAIL (default), preallocate=true (default)",
        s.describe());
  }

  @Test
  void everyBadValueOfOneLogIsReportedNotOnlyTheFirst() {
    Settings.Resolution r =
        Settings.resolve(
            "x",
            source(
                Map.of(
                    "nori.wal.x.directory", " ",
                    "nori.wal.x.fsync", "sometimes",
                    "nori.wal.x.segment-size", "4KiB",
                    "nori.wal.x.recovery", "LENIENT",
                    "nori.wal.x.preallocate", "yes")));

    assertTrue(r.settings().isEmpty());
    assertEquals(
        List.of(
            "nori.wal.x.directory",
            "nori.wal.x.fsync",
            "nori.wal.x.segment-size",
            "nori.wal.x.recovery",
            "nori.wal.x.preallocate"),
        r.problems().stream().map(SettingProblem::key).toList());
    assertTrue(r.problems().get(2).toString().contains("nori.wal.x.segment-size=4KiB"));
  }

  @Test
  void sizesTakeBytesOrBinaryUnits() {
    assertEquals(1_048_576L, Settings.size("1048576"));
    assertEquals(64L << 20, Settings.size("64MiB"));
    assertEquals(512L << 10, Settings.size("512 kib"));
    assertEquals(2L << 30, Settings.size("2GiB"));
  }

  @Test
  void aTypoInASettingOrALogNameOrTheBaseDirectoryIsReportedWithTheNearestKnownKey() {
    SettingSource src =
        source(
            Map.of(
                "nori.wal.orders.fsyn", "always",
                "nori.wal.order.fsync", "always",
                "nori.wal.basedir", "/data",
                "nori.wal.orders.directory", "/d"));

    List<SettingProblem> unknown = Settings.unknownKeys(src, Set.of("orders", "billing"), Set.of());

    Map<String, String> nearest = new java.util.TreeMap<>();
    unknown.forEach(p -> nearest.put(p.key(), p.nearest().orElseThrow()));
    assertEquals(
        Map.of(
            "nori.wal.basedir", "nori.wal.base-dir",
            "nori.wal.order.fsync", "nori.wal.orders.fsync",
            "nori.wal.orders.fsyn", "nori.wal.orders.fsync"),
        nearest);
  }

  @Test
  void keysOfAnotherDeploymentsLogAreLeftAlone() {
    SettingSource src = source(Map.of("nori.wal.inventory.fsync", "always"));

    assertEquals(List.of(), Settings.unknownKeys(src, Set.of("orders"), Set.of()));
  }

  @Test
  void theAgentReportsEveryKeyOutsideTheVocabulary() {
    SettingSource src = source(Map.of("nori.wal.inventory.flush", "always"));

    List<SettingProblem> unknown =
        Settings.unknownKeys(src, Settings.logNames(src, Set.of()), Set.of(), true);

    assertEquals(1, unknown.size(), unknown.toString());
    assertEquals("nori.wal.inventory.flush", unknown.get(0).key());
  }

  @Test
  void keysUnderAPrefixAModuleContributesAreKnown() {
    SettingSource src =
        source(
            Map.of(
                "nori.wal.orders.kafka.topic", "orders",
                "nori.wal.orders.kafka.bootstrap-servers", "127.0.0.1:9092"));
    Set<String> prefixes = Settings.contributedPrefixes(getClass().getClassLoader());

    assertEquals(Set.of("kafka."), prefixes); // src/test/resources/META-INF/services
    assertEquals(List.of(), Settings.unknownKeys(src, Set.of("orders"), prefixes));
    assertEquals(2, Settings.unknownKeys(src, Set.of("orders"), Set.of()).size());
  }

  @Test
  void oneRuleForLogNames() {
    assertTrue(LogNames.isValid("orders.eu-1_b"));
    assertFalse(LogNames.isValid(".hidden"));
    assertFalse(LogNames.isValid("my log"));
    assertFalse(LogNames.isValid("a".repeat(101)));
  }
}
