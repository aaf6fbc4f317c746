package dev.noriwal.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.CorruptLogException;
import dev.noriwal.FsyncPolicy;
import dev.noriwal.LogFailedException;
import dev.noriwal.Position;
import dev.noriwal.RecoveryInfo;
import dev.noriwal.RecoveryMode;
import dev.noriwal.RetentionClaim;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import dev.noriwal.WalState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalServiceTest {
  @TempDir Path tmp;
  private MBeanServer server;
  private WalService service;

  @BeforeEach
  void start() {
    server = MBeanServerFactory.newMBeanServer();
    service = WalService.create("unit", server);
  }

  @AfterEach
  void stop() {
    service.shutdown();
  }

  @Test
  void aDeploymentKeepsItsNameAcrossRedeploysAndASecondOneOfTheSameNameGetsASuffix()
      throws Exception {
    WalService first = WalService.forDeployment("deployment.ledger.war", server);
    WalService second = WalService.forDeployment("deployment.ledger.war", server);
    try {
      assertEquals("deployment.ledger.war", first.instanceId().orElseThrow());
      assertEquals("deployment.ledger.war-2", second.instanceId().orElseThrow());
      assertTrue(
          server.isRegistered(
              new ObjectName("dev.noriwal:type=Service,instance=deployment.ledger.war")));
      assertTrue(
          server.isRegistered(
              new ObjectName("dev.noriwal:type=Service,instance=deployment.ledger.war-2")));
    } finally {
      second.shutdown();
    }
    first.shutdown();
    // Undeployed, then deployed again: the same name, not a new one.
    WalService again = WalService.forDeployment("deployment.ledger.war", server);
    try {
      assertEquals("deployment.ledger.war", again.instanceId().orElseThrow());
    } finally {
      again.shutdown();
    }
  }

  @Test
  void theLogMXBeanShowsWhatAPowerLossCouldTakeUntilTheNextForce() throws Exception {
    Wal wal =
        service.open(
            "exposed",
            WalConfig.builder(tmp.resolve("exposed"))
                .fsyncPolicy(FsyncPolicy.os())
                .preallocate(false)
                .build());
    ObjectName n = service.logObjectName("exposed");
    wal.append(WalRecord.put(new byte[] {1}, new byte[100]));
    wal.flush(); // handed to the OS, not forced: os() forces only on sync, rotation and close
    assertTrue((Long) server.getAttribute(n, "UnforcedBytes") > 100);
    wal.sync();
    assertEquals(0L, server.getAttribute(n, "UnforcedBytes"));
    assertEquals(0L, server.getAttribute(n, "OldestUnforcedAgeMillis"));
  }

  @Test
  void sameNameAndDirectoryGiveTheSameWal() throws Exception {
    Wal a = service.open("orders", DamagedLog.config(tmp.resolve("orders")));
    Wal b = service.open("orders", DamagedLog.config(tmp.resolve("x/../orders")));
    assertSame(a, b);
    assertSame(a, service.find("orders").orElseThrow());
    assertEquals(Set.of("orders"), service.names());
    assertEquals(WalState.OPEN, service.state("orders"));
    assertEquals(tmp.resolve("orders"), service.configOf("orders").directory());
    assertEquals(Optional.empty(), service.find("nope"));
  }

  @Test
  void removeClosesUnregistersAndFreesTheNameForAnotherDirectory() throws Exception {
    Wal a = service.open("orders", DamagedLog.config(tmp.resolve("orders")));
    ObjectName on = service.logObjectName("orders");
    assertTrue(server.isRegistered(on));
    service.remove("orders");
    assertFalse(server.isRegistered(on));
    assertEquals(Set.of(), service.names());
    assertEquals(dev.noriwal.WalState.CLOSED, a.state());
    Wal b = service.open("orders", DamagedLog.config(tmp.resolve("elsewhere")));
    assertEquals(WalState.OPEN, service.state("orders"));
    assertTrue(server.isRegistered(on));
    assertEquals(tmp.resolve("elsewhere"), b.config().directory());
    service.remove("never-opened");
  }

  @Test
  void oneDirectoryUnderTwoNamesIsRefusedNamingBoth() throws Exception {
    service.open("orders", DamagedLog.config(tmp.resolve("orders")));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> service.open("billing", DamagedLog.config(tmp.resolve("orders"))));
    assertTrue(
        e.getMessage().contains("'orders'") && e.getMessage().contains("'billing'"),
        e.getMessage());
    IllegalStateException e2 =
        assertThrows(
            IllegalStateException.class,
            () -> service.open("orders", DamagedLog.config(tmp.resolve("other"))));
    assertTrue(
        e2.getMessage().contains("orders") && e2.getMessage().contains("other"), e2.getMessage());
  }

  @Test
  void registersServiceAndLogMBeansWithInstanceKey() throws Exception {
    service.open("orders.eu-1", DamagedLog.config(tmp.resolve("q")));
    service.open("plain", DamagedLog.config(tmp.resolve("p")));
    assertTrue(server.isRegistered(new ObjectName("dev.noriwal:type=Service,instance=unit")));
    assertTrue(
        server.isRegistered(new ObjectName("dev.noriwal:type=Log,instance=unit,name=plain")));
    ObjectName dotted = service.logObjectName("orders.eu-1");
    assertTrue(server.isRegistered(dotted));
    assertEquals("orders.eu-1", dotted.getKeyProperty("name"));
    assertEquals("orders.eu-1", server.getAttribute(dotted, "Name"));
  }

  @Test
  void aNameOutsideTheOneLogNameRuleIsRefusedNamingTheRule() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> service.open("my log, \"quoted\"", DamagedLog.config(tmp.resolve("q"))));
    assertTrue(e.getMessage().contains("letters, digits"), e.getMessage());
    assertTrue(e.getMessage().contains("my log"), e.getMessage());
    assertEquals(Set.of(), service.names());
  }

  @Test
  void everyAttributeOperationAndParameterIsDescribed() throws Exception {
    service.open("orders", DamagedLog.config(tmp.resolve("orders")));
    for (ObjectName n : List.of(service.serviceObjectName(), service.logObjectName("orders"))) {
      MBeanInfo info = server.getMBeanInfo(n);
      assertFalse(info.getDescription().isBlank());
      assertEquals("true", info.getDescriptor().getFieldValue("mxbean"));
      for (MBeanAttributeInfo a : info.getAttributes()) {
        assertNotEquals(a.getName(), a.getDescription(), n + " attribute " + a.getName());
        server.getAttribute(n, a.getName()); // readable in every state
      }
      for (MBeanOperationInfo o : info.getOperations()) {
        assertNotEquals(o.getName(), o.getDescription(), n + " operation " + o.getName());
        for (MBeanParameterInfo p : o.getSignature()) {
          assertFalse(
              p.getName().matches("p\\d+|arg\\d+"),
              n + " " + o.getName() + " parameter " + p.getName());
          assertNotEquals(p.getName(), p.getDescription());
        }
      }
    }
    MBeanOperationInfo verify =
        List.of(server.getMBeanInfo(service.logObjectName("orders")).getOperations()).stream()
            .filter(o -> o.getName().equals("verify"))
            .findFirst()
            .orElseThrow();
    assertEquals(MBeanOperationInfo.INFO, verify.getImpact());
  }

  @Test
  void attributesAndOperationsReflectTheLog() throws Exception {
    Wal wal = service.open("orders", DamagedLog.config(tmp.resolve("orders")));
    DamagedLog.appendThree(wal);
    ObjectName n = service.logObjectName("orders");
    assertEquals("OPEN", server.getAttribute(n, "State"));
    assertEquals(3L, server.getAttribute(n, "RecordsAppended"));
    assertEquals("always", server.getAttribute(n, "FsyncPolicy"));
    assertEquals(tmp.resolve("orders").toString(), server.getAttribute(n, "Directory"));
    assertTrue((Long) server.getAttribute(n, "FsyncCount") >= 1);
    assertTrue((Double) server.getAttribute(n, "FsyncLatencyMaxMicros") > 0);
    assertTrue(
        (Double) server.getAttribute(n, "FsyncLatencyP99Micros")
            >= (Double) server.getAttribute(n, "FsyncLatencyP50Micros"));
    assertTrue(
        ((String) server.getAttribute(n, "LastRecoveryReport"))
            .contains("mode: TOLERATE_TORN_TAIL"));

    server.invoke(n, "rotate", null, null);
    long newSegment = (Long) server.getAttribute(n, "ActiveSegment");
    assertEquals(
        "not rotated: the active segment "
            + newSegment
            + " holds no records yet, so there is nothing to seal",
        server.invoke(n, "rotate", null, null),
        "an empty active segment is not rotated, and the operator is told why");
    assertEquals(newSegment, server.getAttribute(n, "ActiveSegment"));
    TabularData segments = (TabularData) server.invoke(n, "listSegments", null, null);
    assertEquals(2, segments.size());
    CompositeData first = segments.get(new Object[] {newSegment - 1});
    assertEquals(true, first.get("sealed"));
    assertEquals((newSegment - 1) + ":0", first.get("firstPosition"));
    RetentionClaim relay = wal.retain("relay-under-test", () -> new Position(newSegment - 1, 0));
    try {
      assertEquals(
          "deleted 0 segment(s) before segment "
              + newSegment
              + "; kept the segments from "
              + (newSegment - 1)
              + ":0 on for [relay-under-test]",
          server.invoke(
              n, "deleteSegmentsBefore", new Object[] {newSegment}, new String[] {"long"}));
    } finally {
      relay.close();
    }
    assertEquals(
        "deleted 1 segment(s) before segment " + newSegment,
        server.invoke(n, "deleteSegmentsBefore", new Object[] {newSegment}, new String[] {"long"}));
    assertEquals(1, server.getAttribute(n, "SegmentCount"));
    assertEquals(wal.stats().durablePosition().toString(), server.invoke(n, "flush", null, null));
    assertTrue(((String) server.invoke(n, "verify", null, null)).contains("damage: none"));
  }

  @Test
  void logThatFailsToOpenIsRegisteredFailedAndRecoverable() throws Exception {
    Path dir = tmp.resolve("damaged");
    Position bad = DamagedLog.create(dir);
    CorruptLogException e =
        assertThrows(
            CorruptLogException.class, () -> service.open("ledger", DamagedLog.config(dir)));
    assertEquals(bad.offset(), e.offset());
    assertEquals(WalState.FAILED, service.state("ledger"));
    assertSame(e, service.failureOf("ledger").orElseThrow());
    assertEquals(Optional.empty(), service.find("ledger"));
    ObjectName n = service.logObjectName("ledger");
    assertEquals("FAILED", server.getAttribute(n, "State"));
    assertEquals(e.segment(), server.getAttribute(n, "FailureSegment"));
    assertEquals(bad.offset(), server.getAttribute(n, "FailureOffset"));
    assertTrue(((String) server.getAttribute(n, "Failure")).contains(e.segment()));
    assertEquals(1, service.states().size());

    String report =
        (String)
            server.invoke(
                n,
                "recover",
                new Object[] {"POINT_IN_TIME"},
                new String[] {String.class.getName()});
    assertTrue(report.contains("CUT_AND_QUARANTINED"), report);
    assertEquals("OPEN", server.getAttribute(n, "State"));
    assertEquals(RecoveryMode.TOLERATE_TORN_TAIL, service.configOf("ledger").recoveryMode());
    Wal wal = service.find("ledger").orElseThrow();
    wal.append(WalRecord.put("k".getBytes(StandardCharsets.UTF_8), new byte[] {1}));
    assertEquals(1, wal.recoveryInfo().validRecords());
  }

  @Test
  void handleFollowsTheLogAcrossRecoverAndClose() throws Exception {
    Wal wal = service.open("orders", DamagedLog.config(tmp.resolve("orders")));
    DamagedLog.appendThree(wal);
    RecoveryInfo info = service.recover("orders", RecoveryMode.SALVAGE);
    assertEquals(RecoveryMode.SALVAGE, info.mode());
    assertEquals(WalState.OPEN, wal.state());
    wal.append(WalRecord.put(new byte[] {1}, new byte[] {2}));

    service.close("orders");
    assertEquals(WalState.CLOSED, service.state("orders"));
    assertEquals(WalState.CLOSED, wal.state());
    assertThrows(
        LogFailedException.class, () -> wal.append(WalRecord.put(new byte[] {1}, new byte[] {2})));
    assertSame(wal, service.open("orders", DamagedLog.config(tmp.resolve("orders"))));
    assertEquals(4, wal.recoveryInfo().validRecords());
  }

  @Test
  void shutdownUnregistersEverythingItRegistered() throws Exception {
    service.open("a", DamagedLog.config(tmp.resolve("a")));
    Path damaged = tmp.resolve("b");
    DamagedLog.create(damaged);
    assertThrows(CorruptLogException.class, () -> service.open("b", DamagedLog.config(damaged)));
    assertEquals(3, server.queryNames(new ObjectName("dev.noriwal:*"), null).size());
    Wal a = service.find("a").orElseThrow();
    service.shutdown();
    assertEquals(Set.of(), server.queryNames(new ObjectName("dev.noriwal:*"), null));
    assertEquals(WalState.CLOSED, a.state());
    assertThrows(
        IllegalStateException.class, () -> service.open("a", DamagedLog.config(tmp.resolve("a"))));
  }

  @Test
  void serviceMBeanListsOpensAndClosesLogs() throws Exception {
    ObjectName s = service.serviceObjectName();
    String[] sig = {String.class.getName(), String.class.getName()};
    assertEquals(
        "OPEN", server.invoke(s, "open", new Object[] {"jmx", tmp.resolve("jmx").toString()}, sig));
    assertEquals(1, server.getAttribute(s, "OpenLogCount"));
    assertEquals("unit", server.getAttribute(s, "Instance"));
    TabularData states = (TabularData) server.getAttribute(s, "LogStates");
    assertEquals("OPEN", states.get(new Object[] {"jmx"}).get("value"));
    server.invoke(s, "close", new Object[] {"jmx"}, new String[] {String.class.getName()});
    assertEquals("CLOSED", server.getAttribute(service.logObjectName("jmx"), "State"));
    assertEquals(0, server.getAttribute(s, "OpenLogCount"));
  }

  @Test
  void jvmWideServiceRegistersInThePlatformServerAndShutdownRemovesEverything() throws Exception {
    MBeanServer platform = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    WalService jvm = WalService.get();
    assertSame(jvm, WalService.get());
    try {
      jvm.open("platform-log", DamagedLog.config(tmp.resolve("platform")));
      assertTrue(platform.isRegistered(new ObjectName("dev.noriwal:type=Service")));
      assertTrue(platform.isRegistered(new ObjectName("dev.noriwal:type=Log,name=platform-log")));
    } finally {
      jvm.shutdown();
    }
    assertEquals(Set.of(), platform.queryNames(new ObjectName("dev.noriwal:*"), null));
    assertNotEquals(jvm, WalService.get()); // a fresh one after shutdown
    WalService.get().shutdown();
  }
}
