package dev.noriwal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The WAR this module builds, unchanged, on a real Open Liberty 26, set up by the shell block of
 * README.md's "Deploying the WAR on Open Liberty" run as it stands (only the ports and the data
 * directory are replaced), and driven by Liberty's own {@code wlp/bin/server} script: the REST API,
 * the ledger MXBean through Liberty's REST JMX connector with its reader and administrator roles,
 * and the ledger surviving a server restart.
 */
class LibertyIT {
  private static final String SECTION = "## Deploying the WAR on Open Liberty";
  private static final String SERVER = "ledger";

  @Test
  void readmeSetupServesTheLedgerExposesTheMXBeanThroughTheRestConnectorAndSurvivesARestart()
      throws Exception {
    Path wlp = Path.of(System.getProperty("liberty.home")).toAbsolutePath();
    assertTrue(Files.isExecutable(wlp.resolve("bin/server")), wlp + " holds no Liberty");
    String run = Long.toString(System.currentTimeMillis(), 36);
    Path work =
        Path.of(System.getProperty("demo.work", "target/it"), "liberty-" + run).toAbsolutePath();
    Path data = work.resolve("data");
    Files.createDirectories(work.resolve("wal-jakarta-ee-demo/target"));
    Files.createSymbolicLink(work.resolve("wlp"), wlp);
    Files.copy(
        Path.of(System.getProperty("demo.war")),
        work.resolve("wal-jakarta-ee-demo/target/wal-jakarta-ee-demo.war"));

    int http = freePort();
    int https = freePort();
    String script =
        readmeBlock()
            .replace("9080", Integer.toString(http))
            .replace("9443", Integer.toString(https))
            .replace("/var/lib/nori-wal-demo", data.toString());
    Path userDir = work.resolve("liberty-usr");
    Server server = new Server(work, userDir);
    try {
      server.bash(script);
      Api api = new Api("http://127.0.0.1:" + http + "/ledger/");
      awaitReady(api);

      LedgerStory story = LedgerStory.tell(api, run);

      JsonObject stats = api.json("api/stats").getJsonObject("ledger");
      // The WAR's microprofile-config.properties, read through Liberty's mpConfig feature.
      assertEquals("always", stats.getString("fsync"));
      assertTrue(stats.getString("directory").startsWith(data.toString()), stats.toString());

      Jmx jmx = new Jmx(wlp, userDir, https, script);
      Map<String, Object> asReader =
          jmx.call(
              "walReader",
              mbs -> {
                ObjectName log = ledgerMBean(mbs);
                Map<String, Object> out = new HashMap<>();
                for (String a :
                    new String[] {"Name", "State", "FsyncPolicy", "Directory", "RecordsAppended"}) {
                  out.put(a, mbs.getAttribute(log, a));
                }
                // The reader role may look but not act.
                Exception refused =
                    assertThrows(Exception.class, () -> mbs.invoke(log, "rotate", null, null));
                out.put("refused", refused.toString());
                return out;
              });
      assertEquals("ledger", asReader.get("Name"));
      assertEquals("OPEN", asReader.get("State"));
      assertEquals("always", asReader.get("FsyncPolicy"));
      assertEquals(stats.getString("directory"), asReader.get("Directory"));
      assertTrue((Long) asReader.get("RecordsAppended") >= 3, asReader.toString());
      String refused = (String) asReader.get("refused");
      assertTrue(
          refused.contains("403") || refused.contains("CWWKX0229E"),
          "refused for the role, not for another reason: " + refused);
      String verified =
          jmx.call("walAdmin", mbs -> (String) mbs.invoke(ledgerMBean(mbs), "verify", null, null));
      assertTrue(verified.contains("records"), verified);

      long eventsBefore = LedgerStory.events(api);
      server.script("stop");
      server.script("start");
      awaitReady(api);

      story.cameBackAfterACleanRestart(api, eventsBefore);
    } finally {
      server.stopQuietly();
    }
  }

  /** The first {@code bash} block after the Liberty heading of the demo README. */
  private static String readmeBlock() throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("demo.readme", "README.md")));
    int section = readme.indexOf(SECTION);
    assertTrue(section >= 0, "README.md has no section '" + SECTION + "'");
    int open = readme.indexOf("```bash\n", section);
    int close = readme.indexOf("\n```", open + 8);
    assertTrue(open > 0 && close > open, "no bash block under '" + SECTION + "'");
    return readme.substring(open + 8, close + 1);
  }

  /** Liberty reports "started" before the application has finished deploying. */
  private static void awaitReady(Api api) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        Api.Reply r = api.get("api/accounts");
        if (r.ok()) {
          return;
        }
        last = r.status() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the ledger did not answer within 3 minutes: " + last);
  }

  private static ObjectName ledgerMBean(MBeanServerConnection mbs) throws Exception {
    Set<ObjectName> found =
        mbs.queryNames(new ObjectName("dev.noriwal:type=Log,name=ledger,*"), null);
    assertEquals(1, found.size(), "exactly one ledger log MBean: " + found);
    return found.iterator().next();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Liberty's own script, run with the README's environment. */
  private static final class Server {
    private final Path work;
    private final Path userDir;
    private boolean started;

    Server(Path work, Path userDir) {
      this.work = work;
      this.userDir = userDir;
    }

    void bash(String script) throws Exception {
      started = true;
      run(List.of("bash", "-euo", "pipefail", "-c", script));
    }

    void script(String action) throws Exception {
      run(List.of(work.resolve("wlp/bin/server").toString(), action, SERVER));
    }

    void stopQuietly() {
      if (!started) {
        return;
      }
      try {
        script("stop");
      } catch (Exception | AssertionError e) {
        System.err.println("[LibertyIT] stopping the server: " + e);
      }
    }

    private void run(List<String> command) throws Exception {
      ProcessBuilder pb =
          new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      pb.environment().put("WLP_USER_DIR", userDir.toString());
      Process p = pb.start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), command + " did not finish");
      String text = new String(out, StandardCharsets.UTF_8);
      System.out.println("[LibertyIT] " + command.get(command.size() - 1) + ":\n" + text);
      assertEquals(0, p.exitValue(), command + " failed:\n" + text + logTail());
    }

    private String logTail() {
      Path log = userDir.resolve("servers/" + SERVER + "/logs/messages.log");
      try {
        List<String> lines = Files.readAllLines(log);
        return "\n--- "
            + log
            + " (tail)\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      } catch (IOException e) {
        return "";
      }
    }
  }

  /**
   * Liberty's REST JMX connector: the client jar the server ships, in a class loader of its own,
   * trusting the key store Liberty generated (its password is the README's).
   */
  private static final class Jmx {
    private final Path wlp;
    private final Path userDir;
    private final int httpsPort;
    private final String script;

    Jmx(Path wlp, Path userDir, int httpsPort, String script) {
      this.wlp = wlp;
      this.userDir = userDir;
      this.httpsPort = httpsPort;
      this.script = script;
    }

    interface Call<T> {
      T on(MBeanServerConnection mbs) throws Exception;
    }

    <T> T call(String user, Call<T> call) throws Exception {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      Path p12 = userDir.resolve("servers/" + SERVER + "/resources/security/key.p12");
      try (InputStream in = Files.newInputStream(p12)) {
        keys.load(
            in, attribute("<keyStore id=\"defaultKeyStore\" password=\"([^\"]+)\"").toCharArray());
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(keys);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);

      Map<String, Object> env = new HashMap<>();
      env.put(
          JMXConnector.CREDENTIALS,
          new String[] {user, attribute("<user name=\"" + user + "\" password=\"([^\"]+)\"")});
      env.put("jmx.remote.protocol.provider.pkgs", "com.ibm.ws.jmx.connector.client");
      env.put("com.ibm.ws.jmx.connector.client.CUSTOM_SSLSOCKETFACTORY", tls.getSocketFactory());
      // Liberty's generated certificate names "localhost"; the test connects to 127.0.0.1.
      env.put("com.ibm.ws.jmx.connector.client.disableURLHostnameVerification", "true");
      JMXServiceURL url =
          new JMXServiceURL("service:jmx:rest://127.0.0.1:" + httpsPort + "/IBMJMXConnectorREST");
      Thread me = Thread.currentThread();
      ClassLoader before = me.getContextClassLoader();
      URL jar = wlp.resolve("clients/restConnector.jar").toUri().toURL();
      try (URLClassLoader client =
          new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader())) {
        env.put(JMXConnectorFactory.PROTOCOL_PROVIDER_CLASS_LOADER, client);
        me.setContextClassLoader(client);
        try (JMXConnector c = connect(url, env)) {
          return call.on(c.getMBeanServerConnection());
        }
      } finally {
        me.setContextClassLoader(before);
      }
    }

    /** The REST connector answers only once the server has finished starting its features. */
    // Liberty's REST connector is what is under test; it talks to our own server on loopback.
    @SuppressWarnings("BanJNDI")
    private static JMXConnector connect(JMXServiceURL url, Map<String, Object> env)
        throws Exception {
      List<Exception> failures = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        try {
          return JMXConnectorFactory.connect(url, env);
        } catch (IOException e) {
          failures.add(e);
          if (System.nanoTime() > deadline) {
            AssertionError err =
                new AssertionError("no JMX connection to " + url + ": " + failures);
            failures.forEach(err::addSuppressed);
            throw err;
          }
          Thread.sleep(500);
        }
      }
    }

    private String attribute(String regex) {
      Matcher m = Pattern.compile(regex).matcher(script);
      assertTrue(m.find(), "README's server.xml has no " + regex);
      return m.group(1);
    }
  }
}
