package dev.noriwal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.RecoveryMode;
import dev.noriwal.WalConfig;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

  @Test
  void parsesLogsAndFlags() {
    AgentOptions o = AgentOptions.parse(
        "log.orders.dir=/var/wal/orders, log.orders.fsync=always,log.orders.segmentSize=64MiB,"
            + "log.orders.recovery=point_in_time,log.orders.preallocate=false,"
            + "log.audit.dir=/var/wal/audit,failFast=false,startup=lazy");
    assertEquals(List.of(), o.problems());
    assertFalse(o.failFast());
    assertTrue(o.lazy());
    WalConfig orders = o.logs().get("orders");
    assertEquals(Path.of("/var/wal/orders"), orders.directory());
    assertEquals(FsyncPolicy.always(), orders.fsyncPolicy());
    assertEquals(64L << 20, orders.maxSegmentSize());
    assertEquals(RecoveryMode.POINT_IN_TIME, orders.recoveryMode());
    assertFalse(orders.preallocate());
    assertEquals(WalConfig.DEFAULT_FSYNC_POLICY, o.logs().get("audit").fsyncPolicy());
  }

  @Test
  void everyBadOptionIsReportedAndSkipped() {
    AgentOptions o = AgentOptions.parse(
        "bogus,x=1,failFast=maybe,startup=never,log.a.fsync=sometimes,log.b.dir=/b,log.b.color=red,"
            + "log.c.dir=/c,log.c.segmentSize=12XB,log.d!.dir=/d,log.ok.dir=/ok");
    assertEquals(List.of("ok", "b"), o.logs().keySet().stream().sorted((x, y) -> y.compareTo(x)).toList());
    assertEquals(8, o.problems().size(), o.problems().toString());
    assertTrue(o.problems().stream().anyMatch(p -> p.contains("bogus")));
    assertTrue(o.problems().stream().anyMatch(p -> p.contains("log a") && p.contains("dir is missing")));
    assertTrue(o.problems().stream().anyMatch(p -> p.contains("log c") && p.contains("12XB")));
    assertFalse(o.failFast());
  }

  @Test
  void sizesTakeUnits() {
    assertEquals(1 << 20, AgentOptions.size("1MiB"));
    assertEquals(512 * 1024, AgentOptions.size("512 KiB"));
    assertEquals(2L << 30, AgentOptions.size("2g"));
    assertEquals(1234567, AgentOptions.size("1234567"));
    assertThrows(IllegalArgumentException.class, () -> AgentOptions.size("lots"));
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
    assertTrue(Instrumenter.JOURNALED.matches(TypeDescription.ForLoadedType.of(dev.noriwal.agent.Journaled.class)));
    assertTrue(Instrumenter.JOURNALED.matches(TypeDescription.ForLoadedType.of(Journaled.class)));
    assertFalse(Instrumenter.JOURNALED.matches(TypeDescription.ForLoadedType.of(Other.class)));
    assertFalse(Instrumenter.JOURNALED.matches(TypeDescription.ForLoadedType.of(Cdi.Journaled.class)));
  }

  @Journaled("mine")
  void annotated() {}

  @Test
  void logNameComesFromValue() throws Exception {
    Method m = AgentOptionsTest.class.getDeclaredMethod("annotated");
    assertEquals("mine", JournalHooks.logName(m));
  }
}
