package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.noriwal.Position;
import dev.noriwal.RecoveryMode;
import dev.noriwal.Wal;
import dev.noriwal.WalRecord;
import dev.noriwal.cdi.beans.Audit;
import dev.noriwal.jmx.WalService;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With MicroProfile Health on the class path, every log gets a readiness and a liveness check. */
class HealthCheckTest {
  @TempDir static Path dir;

  @BeforeAll
  static void configure() {
    TestLogs.directories(dir, "audit");
  }

  @AfterAll
  static void clear() {
    TestLogs.clear("audit");
  }

  @Test
  void everyLogHasAReadinessAndALivenessCheckAMicroProfileHealthRuntimeFinds() {
    try (WeldContainer c = TestLogs.weld(Audit.class).initialize()) {
      BeanManager bm = c.getBeanManager();
      Map<String, String> ready = new TreeMap<>();
      for (HealthCheck h :
          bm.createInstance().select(HealthCheck.class, Readiness.Literal.INSTANCE)) {
        HealthCheckResponse r = h.call();
        ready.put(r.getName(), r.getStatus() + " " + r.getData().orElseThrow().get("state"));
      }
      assertEquals(Map.of("nori-wal-audit", "UP OPEN"), ready);
      Map<String, String> live = new TreeMap<>();
      for (HealthCheck h :
          bm.createInstance().select(HealthCheck.class, Liveness.Literal.INSTANCE)) {
        live.put(h.call().getName(), h.call().getStatus().name());
      }
      assertEquals(Map.of("nori-wal-audit", "UP"), live);
    }
  }

  /**
   * A server's health extension sees the application's bean archives, not always the one of this
   * library jar (WildFly's does not): each check is filed under the class that uses its log.
   */
  @Test
  void everyCheckBelongsToTheApplicationClassThatUsesItsLog() {
    try (WeldContainer c = TestLogs.weld(Audit.class).initialize()) {
      BeanManager bm = c.getBeanManager();
      Set<Class<?>> owners = new HashSet<>();
      for (Annotation probe : List.of(Readiness.Literal.INSTANCE, Liveness.Literal.INSTANCE)) {
        for (Bean<?> b : bm.getBeans(HealthCheck.class, probe)) {
          owners.add(b.getBeanClass());
        }
      }
      assertEquals(Set.of(Audit.class), owners);
    }
  }

  /**
   * An operator's {@code recover} that meets damage leaves the log registered but not open: the
   * checks still say FAILED, and name the damaged file and offset.
   */
  @Test
  void aLogThatFailedToReopenOnDamageIsDownNamingFileAndOffset() throws Exception {
    try (WeldContainer c = TestLogs.weld(Audit.class).initialize()) {
      Wal wal = c.select(Audit.class).get().wal;
      List<Position> at = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        at.add(wal.append(WalRecord.put(new byte[] {(byte) i}, new byte[] {7, 7, 7})));
      }
      String file = wal.segments().get(0).fileName();
      Path segment = wal.config().directory().resolve(file);
      WalService service = c.select(WalService.class).get();
      service.close("audit");
      // The last byte of the middle record is its checksum's: a valid record follows the damage.
      try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {0x5A}), at.get(2).offset() - 1);
      }
      assertThrows(
          IOException.class, () -> service.recover("audit", RecoveryMode.TOLERATE_TORN_TAIL));

      BeanManager bm = c.getBeanManager();
      for (Annotation probe : List.of(Readiness.Literal.INSTANCE, Liveness.Literal.INSTANCE)) {
        HealthCheckResponse r = bm.createInstance().select(HealthCheck.class, probe).get().call();
        Map<String, Object> data = r.getData().orElseThrow();
        assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus(), probe + " " + data);
        assertEquals("FAILED", data.get("state"));
        assertEquals(file, data.get("file"));
        assertEquals(at.get(1).offset(), data.get("offset"));
      }
      service.recover("audit", RecoveryMode.POINT_IN_TIME);
    }
  }
}
