package dev.noriwal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.RecoveryMode;
import dev.noriwal.WalConfig;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

  @Test
  void logSettingsUseTheSameVocabularyAsCdi() {
    AgentOptions o =
        AgentOptions.parse(
            "nori.wal.orders.directory=/var/wal/orders, nori.wal.orders.fsync=always,"
                + "nori.wal.orders.segment-size=64MiB,nori.wal.orders.recovery=point_in_time,"
                + "nori.wal.orders.preallocate=false,nori.wal.base-dir=/var/wal,"
                + "nori.wal.audit.fsync=os,failFast=false,startup=lazy");
    assertEquals(List.of(), o.problems());
    assertFalse(o.failFast());
    assertTrue(o.lazy());
    WalConfig orders = o.logs().get("orders");
    assertEquals(Path.of("/var/wal/orders"), orders.directory());
    assertEquals(FsyncPolicy.always(), orders.fsyncPolicy());
    assertEquals(64L << 20, orders.maxSegmentSize());
    assertEquals(RecoveryMode.POINT_IN_TIME, orders.recoveryMode());
    assertFalse(orders.preallocate());
    assertEquals(Path.of("/var/wal/audit"), o.logs().get("audit").directory());
    assertEquals(FsyncPolicy.os(), o.logs().get("audit").fsyncPolicy());
    assertTrue(
        o.settings()
            .get("audit")
            .describe()
            .contains("fsync=os (nori.wal.audit.fsync, agent option)"),
        o.settings().get("audit").describe());
  }

  @Test
  void everyBadOptionIsReportedAndSkipped() {
    AgentOptions o =
        AgentOptions.parse(
            "bogus,x=1,failFast=maybe,startup=never,nori.wal.a.fsync=sometimes,"
                + "nori.wal.b.directory=/b,nori.wal.b.color=red,nori.wal.c.segment-size=12XB,"
                + "nori.wal.c.recovery=lenient,nori.wal.d!.directory=/d,nori.wal.ok.directory=/ok,"
                + "nori.wal.ok.codec=jsonb,log.e.dir=/e");
    assertEquals(List.of("b"), List.copyOf(o.logs().keySet()));
    assertEquals(11, o.problems().size(), o.problems().toString());
    assertTrue(o.problems().stream().anyMatch(p -> p.contains("bogus")));
    assertTrue(o.problems().stream().anyMatch(p -> p.contains("nori.wal.a.fsync=sometimes")));
    assertTrue(o.problems().stream().anyMatch(p -> p.contains("nori.wal.b.color=red")));
    assertTrue(o.problems().stream().anyMatch(p -> p.contains("nori.wal.c.segment-size=12XB")));
    assertTrue(o.problems().stream().anyMatch(p -> p.contains("nori.wal.c.recovery=lenient")));
    assertTrue(o.problems().stream().anyMatch(p -> p.contains("nori.wal.d!.directory")));
    assertTrue(o.problems().stream().anyMatch(p -> p.contains("codec json only")));
    assertTrue(o.problems().stream().anyMatch(p -> p.contains("log.e.dir")));
    assertFalse(o.failFast());
  }

  @Test
  void emptyOrMissingOptionsAreFine() {
    assertEquals(List.of(), AgentOptions.parse(null).problems());
    assertEquals(0, AgentOptions.parse(" ").logs().size());
  }

  // ---- annotation matching by name ----

  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @interface Journaled {
    String value();
  }

  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @interface Other {
    String value();
  }

  /** Stands in for wal-cdi's binding: a Journaled that is an interceptor binding. */
  static final class Cdi {
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @jakarta.interceptor.InterceptorBinding
    @interface Journaled {
      String value();
    }
  }

  @Test
  void matchesJournaledByNameButNotInterceptorBindings() throws Exception {
    assertTrue(
        Instrumenter.JOURNALED.matches(
            TypeDescription.ForLoadedType.of(dev.noriwal.agent.Journaled.class)));
    assertTrue(Instrumenter.JOURNALED.matches(TypeDescription.ForLoadedType.of(Journaled.class)));
    assertFalse(Instrumenter.JOURNALED.matches(TypeDescription.ForLoadedType.of(Other.class)));
    assertFalse(
        Instrumenter.JOURNALED.matches(TypeDescription.ForLoadedType.of(Cdi.Journaled.class)));
  }

  @Journaled("mine")
  void annotated() {}

  @Test
  void logNameComesFromValue() throws Exception {
    Method m = AgentOptionsTest.class.getDeclaredMethod("annotated");
    assertEquals("mine", Instrumenter.logName(new MethodDescription.ForLoadedMethod(m)));
  }

  @Test
  void missingJbossSystemPackageIsReportedWithTheLineToAdd() {
    assertEquals(null, AgentRuntime.hooksNotShared(null), "not under jboss-modules");
    assertEquals(null, AgentRuntime.hooksNotShared("org.jboss.byteman, dev.noriwal.agent.hooks"));
    String problem = AgentRuntime.hooksNotShared("org.jboss.byteman,dev.noriwal.agent");
    assertTrue(
        problem.contains("JBOSS_MODULES_SYSTEM_PKGS=org.jboss.byteman,dev.noriwal.agent.hooks"),
        problem);
  }
}
