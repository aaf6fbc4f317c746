package dev.noriwal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
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
 * only): the REST API, the log's MXBean over WildFly's remoting JMX, and the ledger surviving a
 * server restart.
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

  /** The packaged WAR itself, not an archive assembled for the test. */
  @Deployment(name = DEPLOYMENT, managed = false, testable = false)
  static WebArchive war() {
    File war = new File(System.getProperty("demo.war", "target/wal-jakarta-ee-demo.war"));
    return ShrinkWrap.createFromZipFile(WebArchive.class, war);
  }

  @Test
  void warServesTheLedgerExposesTheMXBeanAndSurvivesARestart() throws Exception {
    Api api =
        new Api(
            "http://127.0.0.1:"
                + System.getProperty("wildfly.http-port")
                + "/wal-jakarta-ee-demo/");
    // The server's data directory outlives test runs (target/ is not cleaned): fresh ids each run.
    String run = Long.toString(System.currentTimeMillis(), 36);
    controller.start(SERVER);
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

      long eventsBefore = LedgerStory.events(api);

      // A real restart of the server process; the deployment comes back with it.
      controller.stop(SERVER);
      controller.start(SERVER);

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
   * Reads the ledger MXBean through WildFly's JMX over the management port. The client jar the
   * server ships (bin/client/jboss-cli-client.jar) is loaded in its own class loader, so it cannot
   * clash with the Arquillian adapter's libraries; only JDK types cross (MXBean open types).
   */
  private static Map<String, Object> readLedgerMXBean() throws Exception {
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
  private static Set<ObjectName> noriwalMBeans() throws Exception {
    return jmx(mbs -> mbs.queryNames(new ObjectName("dev.noriwal:*"), null));
  }

  private interface JmxCall<T> {
    T call(MBeanServerConnection mbs) throws Exception;
  }

  // WildFly's remoting JMX connector is what is under test; it talks to our own server on loopback.
  @SuppressWarnings("BanJNDI")
  private static <T> T jmx(JmxCall<T> call) throws Exception {
    Path jar = Path.of(System.getProperty("wildfly.home"), "bin", "client", "jboss-cli-client.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing");
    JMXServiceURL url =
        new JMXServiceURL(
            "service:jmx:remote+http://127.0.0.1:" + System.getProperty("wildfly.management-port"));
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
