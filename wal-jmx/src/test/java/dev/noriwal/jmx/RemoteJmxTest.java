package dev.noriwal.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Position;
import dev.noriwal.RecoveryMode;
import dev.noriwal.Wal;
import dev.noriwal.WalRecord;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the MXBeans the way JConsole does: over the JDK RMI connector on 127.0.0.1, with password
 * and access files, through the platform MBean server.
 */
class RemoteJmxTest {
  private static final long WAIT_SECONDS = 30;

  @TempDir Path tmp;
  private WalService service;
  private Registry registry;
  private JMXConnectorServer connectorServer;
  private JMXServiceURL url;

  /** Binds RMI server sockets to the loopback address only. */
  private record Loopback() implements RMIServerSocketFactory {
    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    }
  }

  @BeforeEach
  void startConnector() throws Exception {
    service = WalService.create("remote-test", ManagementFactory.getPlatformMBeanServer());
    Path passwords = tmp.resolve("jmx.password");
    Path access = tmp.resolve("jmx.access");
    Files.writeString(passwords, "admin adminpw\nreader readerpw\n");
    Files.writeString(access, "admin readwrite\nreader readonly\n");
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
    int port;
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Loopback loopback = new Loopback();
    registry = LocateRegistry.createRegistry(port, null, loopback);
    Map<String, Object> env = new HashMap<>();
    env.put("jmx.remote.x.password.file", passwords.toString());
    env.put("jmx.remote.x.access.file", access.toString());
    env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, loopback);
    url = new JMXServiceURL("service:jmx:rmi://127.0.0.1/jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    connectorServer =
        JMXConnectorServerFactory.newJMXConnectorServer(
            url, env, ManagementFactory.getPlatformMBeanServer());
    connectorServer.start();
  }

  @AfterEach
  void stopConnector() throws Exception {
    try {
      connectorServer.stop();
      UnicastRemoteObject.unexportObject(registry, true);
    } finally {
      service.shutdown();
    }
    assertEquals(
        0,
        ManagementFactory.getPlatformMBeanServer()
            .queryNames(new ObjectName("dev.noriwal:instance=remote-test,*"), null)
            .size());
  }

  // The JMX RMI connector looks its stub up through JNDI: that is the remote access under test,
  // against our own registry on loopback.
  @SuppressWarnings("BanJNDI")
  private JMXConnector connect(String user, String password) throws IOException {
    return JMXConnectorFactory.connect(
        url, Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
  }

  private static final class Inbox implements NotificationListener {
    final BlockingQueue<Notification> queue = new LinkedBlockingQueue<>();

    @Override
    public void handleNotification(Notification n, Object handback) {
      queue.add(n);
    }

    /** Waits for the next notification of {@code type}, skipping others. */
    Notification await(String type) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (true) {
        long left = deadline - System.nanoTime();
        Notification n = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
        if (n == null) {
          throw new AssertionError("no notification " + type + " within " + WAIT_SECONDS + " s");
        }
        if (n.getType().equals(type)) {
          return n;
        }
      }
    }
  }

  @Test
  void operatorReadsEverythingInvokesEveryOperationAndReceivesEveryNotification() throws Exception {
    Wal orders = service.open("orders", DamagedLog.config(tmp.resolve("orders")));
    DamagedLog.appendThree(orders);
    // A second log, healthy now, that will be damaged while closed.
    Path ledgerDir = tmp.resolve("ledger");
    Wal ledger = service.open("ledger", DamagedLog.config(ledgerDir));
    List<Position> p = DamagedLog.appendThree(ledger);
    String ledgerFile = ledger.segments().get(0).fileName();
    service.close("ledger");

    ObjectName log = service.logObjectName("orders");
    ObjectName ledgerName = service.logObjectName("ledger");
    ObjectName svc = service.serviceObjectName();
    try (JMXConnector c = connect("admin", "adminpw")) {
      MBeanServerConnection conn = c.getMBeanServerConnection();
      Inbox inbox = new Inbox();
      conn.addNotificationListener(log, inbox, null, null);
      Inbox ledgerInbox = new Inbox();
      conn.addNotificationListener(ledgerName, ledgerInbox, null, null);

      // every attribute, by name from the remote MBeanInfo
      for (ObjectName n : List.of(log, ledgerName, svc)) {
        MBeanInfo info = conn.getMBeanInfo(n);
        String[] names =
            Arrays.stream(info.getAttributes())
                .map(MBeanAttributeInfo::getName)
                .toArray(String[]::new);
        AttributeList values = conn.getAttributes(n, names);
        assertEquals(names.length, values.size(), n + " read " + values);
        for (MBeanAttributeInfo a : info.getAttributes()) {
          assertFalse(a.getDescription().equals(a.getName()), "described: " + a.getName());
        }
      }
      assertEquals("OPEN", conn.getAttribute(log, "State"));
      assertEquals(3L, conn.getAttribute(log, "RecordsAppended"));
      assertEquals("CLOSED", conn.getAttribute(ledgerName, "State"));
      assertEquals(2, conn.getAttribute(svc, "LogNames") instanceof String[] s ? s.length : -1);
      MBeanOperationInfo recoverOp =
          Arrays.stream(conn.getMBeanInfo(log).getOperations())
              .filter(o -> o.getName().equals("recover"))
              .findFirst()
              .orElseThrow();
      assertEquals("mode", recoverOp.getSignature()[0].getName());

      String durable = (String) conn.invoke(log, "flush", null, null);
      assertEquals(orders.stats().durablePosition().toString(), durable);

      String rotation = (String) conn.invoke(log, "rotate", null, null);
      long active = (Long) conn.getAttribute(log, "ActiveSegment");
      assertEquals(
          "rotated: segment " + (active - 1) + " sealed; the active segment is now " + active,
          rotation);
      CompositeData rotated =
          (CompositeData) inbox.await(WalNotifications.SEGMENT_ROTATED).getUserData();
      assertEquals(active, rotated.get("newSegmentId"));

      TabularData segments = (TabularData) conn.invoke(log, "listSegments", null, null);
      assertEquals(2, segments.size());

      assertEquals(
          "deleted 1 segment(s) before segment " + active,
          conn.invoke(log, "deleteSegmentsBefore", new Object[] {active}, new String[] {"long"}));
      Notification deleted = inbox.await(WalNotifications.SEGMENT_DELETED);
      assertEquals(log, deleted.getSource());
      assertEquals(active - 1, ((CompositeData) deleted.getUserData()).get("segmentId"));

      String verify = (String) conn.invoke(log, "verify", null, null);
      assertTrue(verify.contains("damage: none"), verify);

      String report =
          (String)
              conn.invoke(
                  log,
                  "recover",
                  new Object[] {"TOLERATE_TORN_TAIL"},
                  new String[] {"java.lang.String"});
      assertTrue(report.contains("mode: TOLERATE_TORN_TAIL"), report);
      CompositeData recovered =
          (CompositeData) inbox.await(WalNotifications.RECOVERY_COMPLETED).getUserData();
      assertEquals("TOLERATE_TORN_TAIL", recovered.get("mode"));
      orders.append(WalRecord.put(new byte[] {1}, new byte[] {2})); // the handle survived recover

      // damage the closed log, then open it from JMX: it fails, an operator recovers it
      DamagedLog.damage(ledgerDir, ledgerFile, p.get(1), p.get(2));
      RuntimeMBeanException openFailed =
          assertThrows(
              RuntimeMBeanException.class,
              () ->
                  conn.invoke(
                      svc,
                      "open",
                      new Object[] {"ledger", ledgerDir.toString()},
                      new String[] {"java.lang.String", "java.lang.String"}));
      assertTrue(
          openFailed.getCause().getMessage().contains(ledgerFile),
          openFailed.getCause().getMessage());
      CompositeData corruption =
          (CompositeData) ledgerInbox.await(WalNotifications.CORRUPTION_DETECTED).getUserData();
      assertEquals(ledgerFile, corruption.get("segment"));
      assertEquals(p.get(1).offset(), corruption.get("offset"));
      CompositeData failed =
          (CompositeData) ledgerInbox.await(WalNotifications.LOG_FAILED).getUserData();
      assertTrue(((String) failed.get("cause")).contains("CorruptLogException"), failed.toString());
      assertEquals("FAILED", conn.getAttribute(ledgerName, "State"));
      assertEquals(ledgerFile, conn.getAttribute(ledgerName, "FailureSegment"));
      assertEquals(p.get(1).offset(), conn.getAttribute(ledgerName, "FailureOffset"));
      assertEquals(1, conn.getAttribute(svc, "FailedLogCount"));

      String repaired =
          (String)
              conn.invoke(
                  ledgerName,
                  "recover",
                  new Object[] {"POINT_IN_TIME"},
                  new String[] {"java.lang.String"});
      assertTrue(repaired.contains("CUT_AND_QUARANTINED"), repaired);
      CompositeData pit =
          (CompositeData) ledgerInbox.await(WalNotifications.RECOVERY_COMPLETED).getUserData();
      assertEquals("POINT_IN_TIME", pit.get("mode"));
      assertEquals(1L, pit.get("validRecords"));
      assertEquals("OPEN", conn.getAttribute(ledgerName, "State"));
      assertTrue(
          ((String) conn.getAttribute(ledgerName, "LastRecoveryReport")).contains("POINT_IN_TIME"));

      RuntimeMBeanException badMode =
          assertThrows(
              RuntimeMBeanException.class,
              () ->
                  conn.invoke(
                      ledgerName,
                      "recover",
                      new Object[] {"LATER"},
                      new String[] {"java.lang.String"}));
      assertTrue(badMode.getCause() instanceof IllegalArgumentException);

      conn.removeNotificationListener(log, inbox);
      conn.removeNotificationListener(ledgerName, ledgerInbox);
    }
  }

  @Test
  void readOnlyUserCanReadButNotInvoke() throws Exception {
    service.open("orders", DamagedLog.config(tmp.resolve("orders")));
    ObjectName log = service.logObjectName("orders");
    try (JMXConnector c = connect("reader", "readerpw")) {
      MBeanServerConnection conn = c.getMBeanServerConnection();
      assertEquals("OPEN", conn.getAttribute(log, "State"));
      assertNotNull(conn.getAttribute(log, "FsyncLatencyP99Micros"));
      assertThrows(SecurityException.class, () -> conn.invoke(log, "rotate", null, null));
      assertThrows(SecurityException.class, () -> conn.invoke(log, "verify", null, null));
      assertThrows(
          SecurityException.class, () -> conn.setAttribute(log, new Attribute("State", "CLOSED")));
    }
    assertThrows(SecurityException.class, () -> connect("reader", "wrong").close());
  }

  @Test
  void lastRecoveryReadsFieldByFieldAndRecoverNamesEveryMode() throws Exception {
    Path ledgerDir = tmp.resolve("ledger");
    Wal ledger = service.open("ledger", DamagedLog.config(ledgerDir));
    List<Position> p = DamagedLog.appendThree(ledger);
    String ledgerFile = ledger.segments().get(0).fileName();
    ObjectName name = service.logObjectName("ledger");
    try (JMXConnector c = connect("admin", "adminpw")) {
      MBeanServerConnection conn = c.getMBeanServerConnection();
      CompositeData fresh = (CompositeData) conn.getAttribute(name, "LastRecovery");
      assertEquals("TOLERATE_TORN_TAIL", fresh.get("mode"));
      assertEquals("CLEAN", fresh.get("verdict"));
      assertEquals("NONE", fresh.get("action"));
      assertEquals(0L, fresh.get("validRecords"));
      assertEquals(0, ((String[]) fresh.get("damage")).length);

      service.close("ledger");
      DamagedLog.damage(ledgerDir, ledgerFile, p.get(1), p.get(2));
      assertThrows(IOException.class, () -> service.open("ledger", DamagedLog.config(ledgerDir)));
      conn.invoke(
          name, "recover", new Object[] {"POINT_IN_TIME"}, new String[] {"java.lang.String"});

      CompositeData cut = (CompositeData) conn.getAttribute(name, "LastRecovery");
      assertEquals("POINT_IN_TIME", cut.get("mode"));
      assertEquals("DAMAGED", cut.get("verdict"));
      assertEquals("CUT_AND_QUARANTINED", cut.get("action"));
      assertEquals(1L, cut.get("validRecords"));
      assertEquals(1, cut.get("segmentsScanned"));
      assertTrue((Long) cut.get("recordBytes") >= p.get(1).offset(), "the record kept: " + cut);
      // The damaged record and the valid one after it went to quarantine/.
      assertTrue(
          (Long) cut.get("bytesQuarantined") > p.get(2).offset() - p.get(1).offset(), "" + cut);
      assertEquals("", cut.get("truncatedAt"));
      String first = (String) cut.get("firstCorruption");
      assertTrue(
          first.contains(ledgerFile + " at offset " + p.get(1).offset()), "names where: " + first);
      String[] damage = (String[]) cut.get("damage");
      assertEquals(cut.get("damageCount"), damage.length);
      assertEquals(first, damage[0]);
      assertEquals(p.get(1).toString(), cut.get("endPosition"));
      assertEquals(false, cut.get("scanSkipped"));
      assertTrue((Long) cut.get("durationMillis") >= 0);
      // The text form stays, for scripts and the tooltip.
      String text = (String) conn.getAttribute(name, "LastRecoveryReport");
      assertTrue(text.contains("action: CUT_AND_QUARANTINED"), text);

      MBeanOperationInfo recover =
          Arrays.stream(conn.getMBeanInfo(name).getOperations())
              .filter(o -> o.getName().equals("recover"))
              .findFirst()
              .orElseThrow();
      String modeDescription = recover.getSignature()[0].getDescription();
      for (RecoveryMode mode : RecoveryMode.values()) {
        assertTrue(modeDescription.contains(mode.name()), mode + " in: " + modeDescription);
      }
    }
  }
}
