package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.Position;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JsonbInvocationCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a CDI user sees of the settings: typos, bad values, what is in effect, leftovers. */
class SettingsUsabilityTest {
  @TempDir Path dir;

  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Logger extensionLogger = Logger.getLogger(WalExtension.class.getName());
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          logged.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void listen() {
    extensionLogger.addHandler(capture);
  }

  @AfterEach
  void clear() {
    extensionLogger.removeHandler(capture);
    TestLogs.clear("orders", "pend", "dmg", "order");
    for (String k : List.of("nori.wal.orders.fsyn", "nori.wal.order.fsync", "nori.wal.basedir")) {
      System.clearProperty(k);
    }
  }

  @Dependent
  public static class Orders {
    @Inject
    @Durable("orders")
    Wal orders;
  }

  @ApplicationScoped
  public static class Pending {
    @Journaled("pend")
    public String ship(String order) {
      return order;
    }
  }

  @Dependent
  public static class Damaged {
    @Inject
    @Durable("dmg")
    Wal dmg;
  }

  @Test
  void aTypoInASettingALogNameOrTheBaseDirectoryFailsTheDeploymentNamingTheNearestKey() {
    TestLogs.directories(dir, "orders");
    System.setProperty("nori.wal.orders.fsyn", "always");
    System.setProperty("nori.wal.order.fsync", "always");
    System.setProperty("nori.wal.basedir", dir.toString());

    DeploymentException e =
        assertThrows(DeploymentException.class, () -> TestLogs.weld(Orders.class).initialize());

    String m = TestLogs.messages(e);
    assertTrue(
        m.contains(
            "NORIWAL-CDI-018: unknown setting nori.wal.orders.fsyn=always; did you mean"
                + " nori.wal.orders.fsync?"),
        m);
    assertTrue(m.contains("nori.wal.order.fsync=always; did you mean nori.wal.orders.fsync?"), m);
    assertTrue(m.contains("nori.wal.basedir=" + dir + "; did you mean nori.wal.base-dir?"), m);
  }

  @Test
  void everyBadSettingOfALogIsReportedNotOnlyTheFirst() {
    TestLogs.directories(dir, "orders");
    TestLogs.set("orders", "fsync", "sometimes");
    TestLogs.set("orders", "segment-size", "12XB");
    TestLogs.set("orders", "recovery", "lenient");

    DeploymentException e =
        assertThrows(DeploymentException.class, () -> TestLogs.weld(Orders.class).initialize());

    String m = TestLogs.messages(e);
    assertTrue(m.contains("NORIWAL-CDI-010: setting nori.wal.orders.fsync=sometimes"), m);
    assertTrue(m.contains("NORIWAL-CDI-010: setting nori.wal.orders.segment-size=12XB"), m);
    assertTrue(m.contains("NORIWAL-CDI-010: setting nori.wal.orders.recovery=lenient"), m);
  }

  @Test
  void eachLogIsLoggedOnceAtStartupWithTheSettingsInEffectAndWhereEachCameFrom() {
    TestLogs.directories(dir, "orders");
    TestLogs.set("orders", "fsync", "always");

    try (WeldContainer c = TestLogs.weld(Orders.class).initialize()) {
      c.select(Orders.class).get();
    }

    List<String> lines = new ArrayList<>();
    for (LogRecord r : logged) {
      if (r.getLevel().equals(Level.INFO) && r.getMessage().startsWith("log \"orders\"")) {
        lines.add(r.getMessage());
      }
    }
    assertEquals(
        List.of(
            "log \"orders\": directory="
                + dir.resolve("orders")
                + " (nori.wal.orders.directory, MicroProfile Config source SysPropConfigSource),"
                + " fsync=always (nori.wal.orders.fsync, MicroProfile Config source"
                + " SysPropConfigSource), segment-size=128MiB (default),"
                + " recovery=TOLERATE_TORN_TAIL (default), preallocate=true (default)"),
        lines);
  }

  @Test
  void unfinishedInvocationsThatNoObserverReceivesAreListedInAWarning() throws Exception {
    TestLogs.directories(dir, "pend");
    String id;
    try (Wal wal = Wal.open(WalConfig.builder(dir.resolve("pend")).build())) {
      id =
          Journal.begin(
              wal,
              JsonbInvocationCodec.json(),
              Pending.class,
              Pending.class.getMethod("ship", String.class),
              new Object[] {"o-1"});
    }

    try (WeldContainer c = TestLogs.weld(Pending.class).initialize()) {
      c.select(Pending.class).get();
    }

    List<String> warnings = new ArrayList<>();
    for (LogRecord r : logged) {
      if (r.getLevel().equals(Level.WARNING)) {
        warnings.add(r.getMessage());
      }
    }
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("NORIWAL-CDI-019: journal \"pend\" has 1 unfinished"));
    assertTrue(
        warnings.get(0).contains(id + " " + Pending.class.getName() + "#ship("), warnings.get(0));
  }

  @Test
  void aDamagedLogFailsTheDeploymentNamingTheRecoveryKeyToSet() throws Exception {
    TestLogs.directories(dir, "dmg");
    damagedLog(dir.resolve("dmg"));

    DeploymentException e =
        assertThrows(DeploymentException.class, () -> TestLogs.weld(Damaged.class).initialize());

    String m = TestLogs.messages(e);
    assertTrue(m.contains("NORIWAL-CDI-012"), m);
    assertTrue(m.contains("set nori.wal.dmg.recovery=POINT_IN_TIME"), m);

    TestLogs.set("dmg", "recovery", "POINT_IN_TIME");
    try (WeldContainer c = TestLogs.weld(Damaged.class).initialize()) {
      assertEquals(1, c.select(Damaged.class).get().dmg.recoveryInfo().damage().size());
    }
  }

  /** Three records, the last byte of the middle one flipped, the clean-shutdown marker gone. */
  private static void damagedLog(Path logDir) throws IOException {
    List<Position> p = new ArrayList<>();
    String file;
    WalConfig config =
        WalConfig.builder(logDir).fsyncPolicy(FsyncPolicy.always()).preallocate(false).build();
    try (Wal wal = Wal.open(config)) {
      for (int i = 0; i < 3; i++) {
        p.add(
            wal.append(
                WalRecord.put(
                    ("k" + i).getBytes(StandardCharsets.UTF_8),
                    ("value " + i + " with some bytes").getBytes(StandardCharsets.UTF_8))));
      }
      file = wal.segments().get(wal.segments().size() - 1).fileName();
    }
    try (FileChannel ch =
        FileChannel.open(logDir.resolve(file), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = p.get(2).offset() - 1;
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x5A));
      ch.write(b.rewind(), at);
      ch.force(true);
    }
    Files.deleteIfExists(logDir.resolve("clean-shutdown"));
  }
}
