package dev.noriwal.demo.embedded;

import dev.noriwal.Wal;
import dev.noriwal.demo.LedgerApplication;
import dev.noriwal.demo.StartupRecovery;
import dev.noriwal.jmx.WalService;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.ws.rs.SeBootstrap;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs the ledger demo on 127.0.0.1 with Weld SE and Jersey: {@code ./demo.sh [--port 8080] [--data
 * ./data/nori-wal-demo]}. Prints the URL, the data directory, the startup recovery report and how
 * to attach JConsole, then a line starting with {@value #READY} that tests wait for. Stops on
 * SIGTERM or Ctrl-C (closing the logs cleanly); after {@code kill -9} the next start recovers from
 * the logs.
 */
public final class EmbeddedDemo {

  /** Printed once the server accepts requests. */
  public static final String READY = "nori-wal demo ready at ";

  static final int DEFAULT_PORT = 8080;
  static final Path DEFAULT_DATA = Path.of("data", "nori-wal-demo");

  private EmbeddedDemo() {}

  public static void main(String[] args) throws Exception {
    int port = DEFAULT_PORT;
    Path data = DEFAULT_DATA;
    String kafka = null;
    String kafkaTopic = LedgerPublishing.DEFAULT_TOPIC;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
        case "--data" -> data = Path.of(value(args, ++i, "--data"));
        case "--kafka" -> kafka = value(args, ++i, "--kafka");
        case "--kafka-topic" -> kafkaTopic = value(args, ++i, "--kafka-topic");
        case "-h", "--help" -> {
          System.out.println(
              "usage: demo.sh [--port N (default 8080)] [--data DIR (default "
                  + DEFAULT_DATA
                  + ")] [--kafka HOST:PORT [--kafka-topic NAME (default "
                  + LedgerPublishing.DEFAULT_TOPIC
                  + ")]]");
          return;
        }
        default -> usageError("unknown argument: " + args[i]);
      }
    }
    data = data.toAbsolutePath().normalize();
    Files.createDirectories(data);
    // wal-cdi reads its settings from system properties when there is no MicroProfile Config.
    setDefault("nori.wal.base-dir", data.toString());
    setDefault("nori.wal.ledger.fsync", "always");
    setDefault("nori.wal.commands.fsync", "always");

    // Our shutdown hook stops HTTP first, then CDI (which closes the logs); Weld's own hook would
    // race it.
    SeContainer cdi =
        SeContainerInitializer.newInstance()
            .addProperty("org.jboss.weld.se.shutdownHook", false)
            .initialize();
    SeBootstrap.Instance server;
    try {
      SeBootstrap.Configuration config =
          SeBootstrap.Configuration.builder()
              .protocol("HTTP")
              .host("127.0.0.1")
              .port(port)
              .rootPath("/")
              .build();
      server =
          SeBootstrap.start(new LedgerApplication(), config)
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | RuntimeException e) {
      cdi.close();
      throw e;
    }
    StartupRecovery.Report report = cdi.select(StartupRecovery.class).get().report();
    // Optional: publish the ledger's events to Kafka for other processes (README, "Running past
    // one machine"); the relay closes before the logs do.
    AutoCloseable relay = () -> {};
    if (kafka != null) {
      Wal ledger = cdi.select(WalService.class).get().find("ledger").orElseThrow();
      relay = LedgerPublishing.start(ledger, kafka, kafkaTopic);
      System.out.println(
          "  kafka       publishing the ledger to topic "
              + kafkaTopic
              + " at "
              + kafka
              + " (MBean dev.noriwal:type=Relay,name=ledger)");
    }
    AutoCloseable publishing = relay;
    CountDownLatch stopped = new CountDownLatch(1);
    SeContainer container = cdi;
    SeBootstrap.Instance instance = server;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    instance.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    System.err.println("stopping the HTTP server failed: " + e);
                  }
                  try {
                    publishing.close();
                  } catch (Exception e) {
                    System.err.println("stopping the Kafka relay failed: " + e);
                  }
                  if (container.isRunning()) {
                    container.close(); // closes the logs cleanly
                  }
                  stopped.countDown();
                },
                "nori-wal-demo-shutdown"));

    String url = "http://127.0.0.1:" + instance.configuration().port() + "/";
    banner(System.out, url, data, report, cdi.select(WalService.class).get());
    stopped.await();
  }

  private static void banner(
      PrintStream out, String url, Path data, StartupRecovery.Report r, WalService service) {
    long pid = ProcessHandle.current().pid();
    out.println();
    out.println("  nori-wal ledger demo (Weld SE + Jersey, pid " + pid + ")");
    out.println("  page        " + url);
    out.println(
        "  API         "
            + url
            + "api/accounts  "
            + url
            + "api/transfers  "
            + url
            + "api/journal  "
            + url
            + "api/stats  "
            + url
            + "api/recovery");
    out.println(
        "  data        "
            + data
            + "  (logs: "
            + data.resolve("ledger")
            + ", "
            + data.resolve("commands")
            + ")");
    out.println(
        "  recovered   "
            + r.ledger().events()
            + " ledger events from "
            + r.ledger().records()
            + " records in "
            + r.ledger().took().toMillis()
            + " ms (engine: "
            + r.ledger().engine().action()
            + ", "
            + r.ledger().engine().bytesTruncated()
            + " bytes truncated); "
            + r.inFlight().size()
            + " in-flight command(s)");
    for (StartupRecovery.InFlight f : r.inFlight()) {
      out.println("              " + f.method() + " " + f.commandId() + ": " + f.detail());
    }
    out.println(
        "  JConsole    jconsole "
            + pid
            + "   then MBeans > "
            + WalService.DOMAIN
            + ": "
            + service.logObjectName("ledger")
            + ", "
            + service.logObjectName("commands")
            + ", "
            + service.serviceObjectName());
    out.println(
        "  stop        Ctrl-C (clean close); kill -9 " + pid + " and start again to see recovery");
    out.println();
    out.println(READY + url);
    out.flush();
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      usageError(option + " needs a value");
    }
    return args[i];
  }

  private static void usageError(String message) {
    System.err.println(message);
    System.err.println("usage: demo.sh [--port N] [--data DIR] [--kafka HOST:PORT]");
    System.exit(2);
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
