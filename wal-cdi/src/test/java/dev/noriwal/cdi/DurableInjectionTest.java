package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Position;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalEntry;
import dev.noriwal.WalReader;
import dev.noriwal.WalRecord;
import dev.noriwal.WalState;
import dev.noriwal.cdi.beans.Audit;
import dev.noriwal.cdi.beans.AuditRegistry;
import dev.noriwal.cdi.beans.OrdersResource;
import dev.noriwal.jmx.WalService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.spi.Unmanaged;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableInjectionTest {
  @TempDir static Path dir;

  @BeforeAll
  static void configure() {
    TestLogs.directories(dir, "audit", "orders", "adhoc", "shared");
  }

  @AfterAll
  static void clear() {
    TestLogs.clear("audit", "orders", "adhoc", "shared");
  }

  /** A non-contextual instance, like a test class or an object built with {@code Unmanaged}. */
  static class Plain {
    @jakarta.inject.Inject
    @Durable("adhoc")
    Wal adhoc;

    @jakarta.inject.Inject
    @Durable("audit")
    Wal audit;
  }

  static class UsesShared {
    @jakarta.inject.Inject
    @Durable("shared")
    Wal shared;
  }

  /** Injects a non-contextual instance, which extensions never see (no ProcessInjectionPoint). */
  private static <T> T inject(WeldContainer c, Class<T> type) {
    return new Unmanaged<>(c.getBeanManager(), type).newInstance().produce().inject().get();
  }

  @Test
  void everyKindOfBeanGetsTheSameSharedLog() throws Exception {
    try (WeldContainer c =
        TestLogs.weld(Audit.class, AuditRegistry.class, OrdersResource.class).initialize()) {
      Wal fromService = WalService.get().find("audit").orElseThrow();
      Wal dependent = c.select(Audit.class).get().wal;
      Wal singleton = c.select(AuditRegistry.class).get().wal();
      Plain plain = inject(c, Plain.class);

      assertSame(fromService, dependent);
      assertSame(fromService, singleton);
      assertSame(fromService, plain.audit);
      assertEquals(dir.resolve("audit"), dependent.config().directory());
      assertEquals(dir.resolve("adhoc"), plain.adhoc.config().directory());

      RequestContextController request = c.select(RequestContextController.class).get();
      request.activate();
      try {
        OrdersResource resource = c.select(OrdersResource.class).get();
        assertTrue(
            resource.getClass().getName().contains("Proxy"),
            "request scoped, so a client proxy: " + resource.getClass());
        assertEquals(Position.START.toString(), resource.place("o-1"));
        assertSame(WalService.get().find("orders").orElseThrow(), resource.wal());
      } finally {
        request.deactivate();
      }
      assertEquals(
          RequestScoped.class,
          c.getBeanManager().resolve(c.getBeanManager().getBeans(OrdersResource.class)).getScope());
    }
  }

  @Test
  void shutdownClosesItsLogsAndUnregistersNothingItDidNotOwn() throws Exception {
    Wal external =
        WalService.get().open("shared", WalConfig.builder(dir.resolve("shared")).build());
    try {
      try (WeldContainer c = TestLogs.weld(Audit.class).initialize()) {
        c.select(Audit.class).get().wal.append(put("before-shutdown"));
        inject(c, Plain.class); // opens "adhoc" on first use
        // Opened by someone else first: the deployment uses it but must not close it.
        assertSame(external, inject(c, UsesShared.class).shared);
      }
      assertFalse(WalService.get().names().contains("audit"), "removed at shutdown");
      assertFalse(WalService.get().names().contains("adhoc"), "removed at shutdown");
      assertFalse(
          ManagementFactory.getPlatformMBeanServer()
              .isRegistered(WalService.get().logObjectName("audit")),
          "the deployment's MBean is unregistered");
      assertFalse(WalService.get().find("audit").isPresent());
      assertEquals(WalState.OPEN, WalService.get().state("shared"));
    } finally {
      WalService.get().close("shared");
    }
    assertTrue(external.config().directory().endsWith("shared"));
  }

  @Test
  void redeployOpensTheSameDirectoryCleanlyAndSeesEarlierRecords() throws Exception {
    try (WeldContainer c = TestLogs.weld(Audit.class).initialize()) {
      c.select(Audit.class).get().wal.append(put("first-deployment"));
    }
    try (WeldContainer c = TestLogs.weld(Audit.class).initialize()) {
      Wal wal = c.select(Audit.class).get().wal;
      boolean found = false;
      try (WalReader r = wal.readFrom(new Position(wal.segments().get(0).id(), 0))) {
        for (WalEntry e = r.next(); e != null; e = r.next()) {
          found |=
              new String(e.record().value(), StandardCharsets.UTF_8).equals("first-deployment");
        }
      }
      assertTrue(found);
      assertTrue(wal.recoveryInfo().toString().length() > 0);
    }
    // Nothing of the stopped deployment is left in JMX.
    assertTrue(
        ManagementFactory.getPlatformMBeanServer()
            .queryNames(WalService.get().logObjectName("audit"), null)
            .isEmpty());
  }

  private static WalRecord put(String value) {
    return WalRecord.put(
        "audit".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }
}
