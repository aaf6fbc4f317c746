package dev.noriwal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.journal.Completion;
import dev.noriwal.journal.Failure;
import dev.noriwal.journal.Invocation;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JournalEntry;
import example.wildfly.OrderServlet;
import example.wildfly.Orders;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;

/**
 * The agent on a real WildFly 39 started by its own {@code bin/standalone.sh}, set up by the shell
 * block of README.md's "The agent on WildFly" run as it stands (from the repository root; only the
 * server's home, the log directory and the server's ports, free ones picked when it starts, are
 * filled in): a WAR whose plain class has a {@code @Journaled} method is journaled, the agent's
 * messages are in {@code server.log}, and its MBeans answer over WildFly's remoting JMX.
 */
class WildFlyAgentIT {
  private static final String SECTION = "### The agent on WildFly";

  @Test
  void readmeStepsJournalAPlainClassOfADeploymentAndShowTheAgentOverRemotingJmx() throws Exception {
    Path home = Path.of(System.getProperty("wildfly.home")).toAbsolutePath();
    Path repo = Path.of(System.getProperty("repository.root")).toAbsolutePath();
    Path data =
        Path.of(System.getProperty("agent.it.work", "target/agent-it"))
            .toAbsolutePath()
            .resolve("wildfly-" + Long.toString(System.currentTimeMillis(), 36));
    Path log = data.resolve("orders");
    Files.createDirectories(data);
    for (String leftover : new String[] {"data", "log", "tmp", "deployments/orders.war"}) {
      deleteTree(home.resolve("standalone").resolve(leftover));
    }
    Files.deleteIfExists(home.resolve("standalone/deployments/orders.war.deployed"));
    Files.deleteIfExists(home.resolve("standalone/deployments/orders.war.failed"));
    writeWar(home.resolve("standalone/deployments/orders.war"));

    WildFlyPorts ports = WildFlyPorts.pickFree();
    String script =
        readmeBlock(repo.resolve("README.md"))
            .replace("/opt/wildfly-39.0.1.Final", home.toString())
            .replace("/var/lib/nori-wal/orders", log.toString())
            .replace("bin/standalone.sh", "bin/standalone.sh " + ports.serverArguments());
    Path console = data.resolve("console.log");
    Process server =
        new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
            .directory(repo.toFile())
            .redirectErrorStream(true)
            .redirectOutput(console.toFile())
            .start();
    try {
      awaitDeployed(home, server, console);
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + ports.http() + "/orders/order";
      HttpResponse<String> placed = post(http, base + "?item=tea&quantity=3");
      assertEquals(200, placed.statusCode(), placed.body());
      assertEquals("3 x tea", placed.body());
      HttpResponse<String> refused = post(http, base + "?item=tea&quantity=0");
      assertEquals(400, refused.statusCode(), refused.body());

      String serverLog = Files.readString(home.resolve("standalone/log/server.log"));
      assertTrue(
          serverLog.contains("nori-wal agent: log \"orders\": directory=" + log),
          "the agent's start-up line is in server.log");

      Map<String, Object> seen =
          jmx(
              home,
              ports.management(),
              mbs -> {
                Map<String, Object> out = new HashMap<>();
                ObjectName agent = new ObjectName("dev.noriwal:type=Agent");
                ObjectName orders = new ObjectName("dev.noriwal:type=Log,name=orders");
                out.put("journaled", mbs.getAttribute(agent, "InvocationsJournaled"));
                out.put("problems", List.of((String[]) mbs.getAttribute(agent, "Problems")));
                out.put("state", mbs.getAttribute(orders, "State"));
                out.put("fsync", mbs.getAttribute(orders, "FsyncPolicy"));
                return out;
              });
      assertEquals(2L, seen.get("journaled"), seen.toString());
      assertEquals(List.of(), seen.get("problems"));
      assertEquals("OPEN", seen.get("state"));
      assertEquals("always", seen.get("fsync"));
    } finally {
      stop(server);
    }

    // The server is gone and the lock with it: read what the agent wrote.
    List<JournalEntry> entries;
    try (Wal wal = Wal.open(WalConfig.builder(log).preallocate(false).build())) {
      entries = Journal.entries(wal);
    }
    assertEquals(4, entries.size(), entries.toString());
    Invocation first = assertInstanceOf(Invocation.class, entries.get(0));
    assertEquals(Orders.class.getName(), first.beanClass());
    assertEquals("place(java.lang.String,int)", first.method());
    assertEquals(
        first.invocationId(), assertInstanceOf(Completion.class, entries.get(1)).invocationId());
    Invocation second = assertInstanceOf(Invocation.class, entries.get(2));
    Failure failure = assertInstanceOf(Failure.class, entries.get(3));
    assertEquals(second.invocationId(), failure.invocationId());
    assertEquals(IllegalArgumentException.class.getName(), failure.exceptionType());
  }

  /** The first {@code bash} block after {@link #SECTION} in the repository's README. */
  private static String readmeBlock(Path readme) throws IOException {
    String text = Files.readString(readme);
    int section = text.indexOf(SECTION);
    assertTrue(section >= 0, "README.md has no section '" + SECTION + "'");
    int open = text.indexOf("```bash\n", section);
    int close = text.indexOf("\n```", open + 8);
    assertTrue(open > 0 && close > open, "no bash block under '" + SECTION + "'");
    return text.substring(open + 8, close + 1);
  }

  /** A WAR of the two example classes, as a user's build would make it. */
  private static void writeWar(Path war) throws IOException {
    try (OutputStream out = Files.newOutputStream(war);
        JarOutputStream jar = new JarOutputStream(out)) {
      for (Class<?> c : new Class<?>[] {Orders.class, OrderServlet.class}) {
        String name = c.getName().replace('.', '/') + ".class";
        jar.putNextEntry(new JarEntry("WEB-INF/classes/" + name));
        try (var in = c.getClassLoader().getResourceAsStream(name)) {
          in.transferTo(jar);
        }
        jar.closeEntry();
      }
    }
  }

  private static void awaitDeployed(Path home, Process server, Path console) throws Exception {
    Path deployed = home.resolve("standalone/deployments/orders.war.deployed");
    Path failed = home.resolve("standalone/deployments/orders.war.failed");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!Files.exists(deployed)) {
      if (Files.exists(failed) || !server.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "orders.war was not deployed ("
                + (Files.exists(failed) ? Files.readString(failed) : "no .failed marker")
                + ", server alive: "
                + server.isAlive()
                + "); console:\n"
                + Files.readString(console));
      }
      Thread.sleep(250);
    }
  }

  private static HttpResponse<String> post(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private interface JmxCall<T> {
    T call(MBeanServerConnection mbs) throws Exception;
  }

  /** WildFly's remoting JMX through the client jar the server ships, in its own class loader. */
  @SuppressWarnings("BanJNDI") // a JMX connection to the test's own server on loopback
  private static <T> T jmx(Path home, int port, JmxCall<T> call) throws Exception {
    Path jar = home.resolve("bin/client/jboss-cli-client.jar");
    JMXServiceURL url = new JMXServiceURL("service:jmx:remote+http://127.0.0.1:" + port);
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

  /** SIGTERM to the server's JVM (standalone.sh's child), as an operator's Ctrl-C would send. */
  private static void stop(Process bash) throws InterruptedException {
    List<ProcessHandle> tree = bash.descendants().toList();
    tree.forEach(ProcessHandle::destroy);
    bash.destroy();
    for (ProcessHandle p : tree) {
      p.onExit().toCompletableFuture().completeOnTimeout(null, 60, TimeUnit.SECONDS).join();
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    bash.waitFor(60, TimeUnit.SECONDS);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
