package dev.noriwal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The WAR this module builds, unchanged, on a real WildFly 39 (managed by Arquillian, loopback
 * only, on ports found free when the test starts: see {@link WildFlyPorts}): the REST API, the
 * log's MXBean over WildFly's remoting JMX, and the ledger surviving a server restart.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WildFlyIT {
  private static final String SERVER = "wildfly";
  private static final String DEPLOYMENT = "demo";
  private static final ObjectName LEDGER_MBEAN =
      objectName("dev.noriwal:type=Log,instance=deployment.wal-jakarta-ee-demo.war,name=ledger");

  private static ObjectName objectName(String text) {
    try {
      return new ObjectName(text);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @ArquillianResource private ContainerController controller;
  @ArquillianResource private Deployer deployer;

  /** This run's server ports; the restart keeps them, so the API's address stays the same. */
  private final WildFlyPorts ports;

  WildFlyIT() throws IOException {
    ports = WildFlyPorts.pickFree();
  }

  /** The packaged WAR itself, not an archive assembled for the test. */
  @Deployment(name = DEPLOYMENT, managed = false, testable = false)
  static WebArchive war() {
    File war = new File(System.getProperty("demo.war", "target/wal-jakarta-ee-demo.war"));
    return ShrinkWrap.createFromZipFile(WebArchive.class, war);
  }

  @Test
  void warServesTheLedgerExposesTheMXBeanAndSurvivesARestart() throws Exception {
    Api api = new Api("http://127.0.0.1:" + ports.http() + "/wal-jakarta-ee-demo/");
    // The server's data directory outlives test runs (target/ is not cleaned): fresh ids each run.
    String run = Long.toString(System.currentTimeMillis(), 36);
    controller.start(SERVER, ports.arquillianConfig());
    boolean deployed = false;
    try {
      deployer.deploy(DEPLOYMENT);
      deployed = true;

      LedgerStory story = LedgerStory.tell(api, run);

      JsonObject stats = api.json("api/stats").getJsonObject("ledger");
      // The WAR carries wal-jmx, so its MBeans carry the deployment's instance key.
      ObjectName mbean = new ObjectName(stats.getString("mbean"));
      assertEquals("dev.noriwal", mbean.getDomain());
      assertEquals("Log", mbean.getKeyProperty("type"));
      assertEquals("ledger", mbean.getKeyProperty("name"));
      // The deployment's name, not a per-deployment hash: the same after a redeploy or a restart.
      assertEquals(LEDGER_MBEAN, mbean);
      // META-INF/microprofile-config.properties in the WAR, read through WildFly's MicroProfile
      // Config.
      assertEquals("always", stats.getString("fsync"));
      long appended = stats.getJsonNumber("recordsAppended").longValueExact();
      assertTrue(appended >= 3, stats.toString());

      // The same numbers through JMX, as JConsole would read them.
      Map<String, Object> mxbean = readLedgerMXBean();
      assertEquals("ledger", mxbean.get("Name"));
      assertEquals("OPEN", mxbean.get("State"));
      assertEquals("always", mxbean.get("FsyncPolicy"));
      assertEquals(stats.getString("directory"), mxbean.get("Directory"));
      assertTrue((Long) mxbean.get("RecordsAppended") >= appended, mxbean.toString());
      assertTrue((Long) mxbean.get("FsyncCount") >= 1, mxbean.toString());

      // MicroProfile Health (standalone-microprofile.xml) on the management port: every log of
      // the deployment is ready with its state and position, and live.
      Map<String, JsonObject> ready = health("ready", 200);
      for (String log : List.of("nori-wal-ledger", "nori-wal-commands")) {
        JsonObject check = ready.get(log);
        assertNotNull(check, log + " is listed: " + ready.keySet());
        assertEquals("UP", check.getString("status"), check.toString());
        assertEquals("OPEN", check.getJsonObject("data").getString("state"), check.toString());
        assertTrue(check.getJsonObject("data").getString("position").contains(":"), check + "");
      }
      Map<String, JsonObject> live = health("live", 200);
      assertEquals("UP", live.get("nori-wal-ledger").getString("status"), live.toString());
      assertEquals("UP", live.get("nori-wal-commands").getString("status"), live.toString());

      long eventsBefore = LedgerStory.events(api);

      // A real restart of the server process; the deployment comes back with it.
      controller.stop(SERVER);
      controller.start(SERVER, ports.arquillianConfig());

      story.cameBackAfterACleanRestart(api, eventsBefore);

      // Undeploy and deploy again in the same server JVM: the logs are released and reopened, and
      // the MXBean is registered again for the new deployment.
      deployer.undeploy(DEPLOYMENT);
      deployed = false;
      assertEquals(Set.of(), noriwalMBeans(), "undeploy leaves no dev.noriwal MBean behind");
      deployer.deploy(DEPLOYMENT);
      deployed = true;
      assertEquals(8000, LedgerStory.balance(api, story.ann));
      assertEquals(2000, LedgerStory.balance(api, story.bob));
      assertEquals("OPEN", readLedgerMXBean().get("State"));
      assertEquals(
          Set.of(LEDGER_MBEAN),
          jmx(mbs -> mbs.queryNames(new ObjectName("dev.noriwal:type=Log,name=ledger,*"), null)),
          "the redeployed ledger keeps its MBean name");

      aDamagedLedgerIsDownNamingFileAndOffsetUntilItIsRecovered();
      assertEquals(8000, LedgerStory.balance(api, story.ann));
    } finally {
      try {
        if (deployed) {
          deployer.undeploy(DEPLOYMENT);
        }
      } finally {
        controller.stop(SERVER);
      }
    }
  }

  /**
   * The one way a deployed log becomes FAILED on damage: an operator's {@code recover} that finds
   * it. The ledger is fenced first (its directory vanishes, so rotating cannot move the next
   * segment into place), because a clean close would write a clean-shutdown marker and the reopen
   * would trust it. Then the directory comes back with one flipped byte inside the first record,
   * and {@code recover} fails on it; put back as it was, {@code recover} brings the ledger back.
   */
  private void aDamagedLedgerIsDownNamingFileAndOffsetUntilItIsRecovered() throws Exception {
    Path dir = Path.of((String) readLedgerMXBean().get("Directory"));
    Path saved = Files.createTempDirectory(dir.getParent(), "ledger-saved-");
    copy(dir, saved);
    // Whatever happens below, the ledger goes back as it was: the server's data outlives the run.
    try {
      deleteTree(dir);
      String rotated;
      try {
        rotated = jmx(mbs -> String.valueOf(mbs.invoke(LEDGER_MBEAN, "rotate", null, null)));
      } catch (Exception e) {
        rotated = e.toString();
      }
      assertEquals("FAILED", readLedgerMXBean().get("State"), "rotate said: " + rotated);
      JsonObject fenced = health("ready", 503).get("nori-wal-ledger");
      assertEquals("DOWN", fenced.getString("status"), fenced.toString());
      assertEquals("FAILED", fenced.getJsonObject("data").getString("state"), fenced.toString());
      assertEquals("UP", health("ready", 503).get("nori-wal-commands").getString("status"));
      assertEquals("DOWN", health("live", 503).get("nori-wal-ledger").getString("status"));

      copy(saved, dir);
      Path first;
      try (Stream<Path> segments = Files.list(dir)) {
        first =
            segments.filter(p -> p.toString().endsWith(".wal")).sorted().findFirst().orElseThrow();
      }
      long flipped = flipAByteInsideTheFirstRecord(first);
      Exception refused = assertThrows(Exception.class, this::recoverLedger);
      JsonObject damaged = health("ready", 503).get("nori-wal-ledger");
      JsonObject data = damaged.getJsonObject("data");
      assertEquals("DOWN", damaged.getString("status"), damaged.toString());
      assertEquals(first.getFileName().toString(), data.getString("file"), damaged + " " + refused);
      // The record holding the flipped byte starts at offset 0.
      assertEquals(
          0, data.getJsonNumber("offset").longValueExact(), damaged + " flipped " + flipped);
    } finally {
      if (Files.exists(dir)) {
        deleteTree(dir);
      }
      copy(saved, dir);
      deleteTree(saved);
    }
    recoverLedger();
    JsonObject back = health("ready", 200).get("nori-wal-ledger");
    assertEquals("UP", back.getString("status"), back.toString());
  }

  /** Runs the ledger MXBean's {@code recover(TOLERATE_TORN_TAIL)} over remoting JMX. */
  private Object recoverLedger() throws Exception {
    return jmx(
        mbs ->
            mbs.invoke(
                LEDGER_MBEAN,
                "recover",
                new Object[] {"TOLERATE_TORN_TAIL"},
                new String[] {String.class.getName()}));
  }

  /** Flips one bit in the middle of the first record's value; returns the file offset. */
  private static long flipAByteInsideTheFirstRecord(Path segment) throws Exception {
    try (FileChannel ch =
        FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer head = ByteBuffer.allocate(32);
      ch.read(head, 0);
      head.flip();
      long klen = varint(head);
      long vlen = varint(head);
      int flags = head.get() & 0xff;
      assertEquals(0, flags & 0x02, "the ledger's records carry no TTL");
      long at = head.position() + klen + vlen / 2;
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
      ch.write(b, at);
      ch.force(true);
      return at;
    }
  }

  private static long varint(ByteBuffer b) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      int x = b.get() & 0xff;
      v |= (long) (x & 0x7f) << shift;
      if (x < 0x80) {
        return v;
      }
    }
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * The server's MicroProfile Health endpoint on the management port ({@code /health/ready} or
   * {@code /health/live}), which must answer {@code status}; returns the checks by name.
   */
  private Map<String, JsonObject> health(String kind, int status) throws Exception {
    Api management = new Api("http://127.0.0.1:" + ports.management() + "/");
    Api.Reply r = management.get("health/" + kind);
    assertEquals(status, r.status(), r.body());
    Map<String, JsonObject> checks = new java.util.TreeMap<>();
    for (JsonObject c : r.json().getJsonArray("checks").getValuesAs(JsonObject.class)) {
      checks.put(c.getString("name"), c);
    }
    return checks;
  }

  /**
   * Reads the ledger MXBean through WildFly's JMX over the management port. The client jar the
   * server ships (bin/client/jboss-cli-client.jar) is loaded in its own class loader, so it cannot
   * clash with the Arquillian adapter's libraries; only JDK types cross (MXBean open types).
   */
  private Map<String, Object> readLedgerMXBean() throws Exception {
    return jmx(
        mbs -> {
          Set<ObjectName> found =
              mbs.queryNames(new ObjectName("dev.noriwal:type=Log,name=ledger,*"), null);
          assertEquals(1, found.size(), "exactly one ledger log MBean: " + found);
          ObjectName name = found.iterator().next();
          Map<String, Object> out = new java.util.HashMap<>();
          for (String a :
              new String[] {
                "Name", "State", "FsyncPolicy", "Directory", "RecordsAppended", "FsyncCount"
              }) {
            out.put(a, mbs.getAttribute(name, a));
          }
          return out;
        });
  }

  /** Every MBean of our domain the server has registered. */
  private Set<ObjectName> noriwalMBeans() throws Exception {
    return jmx(mbs -> mbs.queryNames(new ObjectName("dev.noriwal:*"), null));
  }

  private interface JmxCall<T> {
    T call(MBeanServerConnection mbs) throws Exception;
  }

  // WildFly's remoting JMX connector is what is under test; it talks to our own server on loopback.
  @SuppressWarnings("BanJNDI")
  private <T> T jmx(JmxCall<T> call) throws Exception {
    Path jar = Path.of(System.getProperty("wildfly.home"), "bin", "client", "jboss-cli-client.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing");
    JMXServiceURL url =
        new JMXServiceURL("service:jmx:remote+http://127.0.0.1:" + ports.management());
    Thread me = Thread.currentThread();
    ClassLoader before = me.getContextClassLoader();
    try (URLClassLoader client =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      me.setContextClassLoader(client);
      try (JMXConnector c =
          JMXConnectorFactory.connect(
              url, Map.of(JMXConnectorFactory.PROTOCOL_PROVIDER_CLASS_LOADER, client))) {
        return call.call(c.getMBeanServerConnection());
      }
    } finally {
      me.setContextClassLoader(before);
    }
  }
}
