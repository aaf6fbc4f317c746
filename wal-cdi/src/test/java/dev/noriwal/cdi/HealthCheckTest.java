package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.noriwal.cdi.beans.Audit;
import jakarta.enterprise.inject.spi.BeanManager;
import java.nio.file.Path;
import java.util.Map;
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
}
