package dev.noriwal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.demo.embedded.EmbeddedDemo;
import dev.noriwal.kafka.KafkaBroker;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README, "Running past one machine", as written: {@code ./demo.sh --kafka HOST:PORT} publishes the
 * ledger to a real Kafka broker (KRaft, in a child JVM on loopback), and {@code ./demo-balances.sh
 * --bootstrap HOST:PORT}, another process, rebuilds the same balances from the topic.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KafkaDemoIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void aSecondProcessRebuildsTheLedgersBalancesFromTheKafkaTopic() throws Exception {
    Path work = DemoProcess.newDataDir("kafka");
    try (KafkaBroker broker = new KafkaBroker(work.resolve("broker")).start()) {
      int port = freePort();
      Path data = work.resolve("data");
      Path demoLog = work.resolve("demo.log");
      Process demo =
          script(
              "demo.sh",
              demoLog,
              "--port",
              Integer.toString(port),
              "--data",
              data.toString(),
              "--kafka",
              broker.bootstrap());
      try {
        awaitLine(demo, demoLog, EmbeddedDemo.READY);
        assertTrue(
            Files.readString(demoLog).contains("publishing the ledger to topic ledger-events"));
        Api api = new Api("http://127.0.0.1:" + port + "/");
        post(api, "api/accounts", "{\"id\":\"alice\",\"initialBalance\":10000}");
        post(api, "api/accounts", "{\"id\":\"bob\",\"initialBalance\":500}");
        post(api, "api/transfers", "{\"from\":\"alice\",\"to\":\"bob\",\"amount\":2500}");
        post(api, "api/accounts/bob/deposits", "{\"amount\":75}");
        post(api, "api/transfers", "{\"from\":\"bob\",\"to\":\"alice\",\"amount\":100}");

        JsonObject server = api.json("api/accounts");
        List<String> expected = new ArrayList<>();
        for (JsonValue v : server.getJsonArray("accounts")) {
          JsonObject a = v.asJsonObject();
          expected.add(a.getString("id") + " " + a.getJsonNumber("balance").longValueExact());
        }
        expected.add("total " + server.getJsonNumber("total").longValueExact() + " (5 events)");
        assertEquals(List.of("alice 7600", "bob 2975", "total 10575 (5 events)"), expected);

        // The relay commits within milliseconds; the second process reads what is committed.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> rebuilt;
        int run = 0;
        do {
          Path out = work.resolve("balances-" + run++ + ".log");
          Process balances = script("demo-balances.sh", out, "--bootstrap", broker.bootstrap());
          assertTrue(balances.waitFor(90, TimeUnit.SECONDS), "demo-balances.sh did not finish");
          assertEquals(0, balances.exitValue(), Files.readString(out));
          rebuilt =
              Files.readAllLines(out).stream()
                  .filter(l -> l.matches("[A-Za-z0-9_-]+ -?\\d+|total .*"))
                  .toList();
        } while (!rebuilt.equals(expected) && System.nanoTime() < deadline);
        assertEquals(expected, rebuilt);
      } finally {
        demo.destroy();
        if (!demo.waitFor(30, TimeUnit.SECONDS)) {
          demo.destroyForcibly().waitFor();
        }
      }
    }
  }

  private static void post(Api api, String path, String json) throws Exception {
    Api.Reply r = api.post(path, json);
    assertTrue(r.ok(), path + " -> " + r.status() + " " + r.body());
  }

  private static Process script(String name, Path output, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ROOT.resolve(name).toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("DEMO_SKIP_BUILD", "1");
    pb.environment().put("JAVA_OPTS", "-Xmx256m");
    return pb.start();
  }

  private static void awaitLine(Process p, Path log, String prefix) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (Files.readAllLines(log).stream().noneMatch(l -> l.startsWith(prefix))) {
      assertTrue(p.isAlive(), () -> "exited early:\n" + read(log));
      assertTrue(System.nanoTime() < deadline, () -> "no ready line:\n" + read(log));
      Thread.sleep(100);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
