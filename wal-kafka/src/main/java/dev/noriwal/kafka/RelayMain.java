package dev.noriwal.kafka;

import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The standalone relay: {@code java -jar wal-kafka-VERSION-standalone.jar --log DIR --bootstrap
 * HOST:PORT --topic TOPIC [--name NAME] [--property KEY=VALUE]...}.
 *
 * <p>It opens the log as its owner ({@link Wal#open}, taking the directory lock, so no application
 * may write it meanwhile), publishes every record not yet in the topic, waits until all are
 * committed and exits 0. It is for a log at rest: the application is stopped, or the directory is a
 * copy. A live application runs the relay embedded instead ({@link KafkaRelay#start}), because one
 * process owns a log. While the broker is unreachable it keeps retrying; killed at any instant, the
 * next run neither skips nor repeats a record. Exit codes: 0 published, 2 bad arguments, 3 the
 * relay stopped (the error names the position), 4 the log cannot be opened.
 */
public final class RelayMain {
  private RelayMain() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
    Map<String, String> settings = new LinkedHashMap<>();
    Path log = null;
    try {
      for (int i = 0; i < args.length; i += 2) { // every argument takes a value
        String a = args[i];
        String v = i + 1 < args.length ? args[i + 1] : null;
        switch (a) {
          case "--log" -> log = Path.of(need(a, v));
          case "--bootstrap" -> settings.put("bootstrap-servers", need(a, v));
          case "--topic" -> settings.put("topic", need(a, v));
          case "--name" -> settings.put("name", need(a, v));
          case "--property" -> {
            String kv = need(a, v);
            int eq = kv.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--property must be KEY=VALUE: " + kv);
            }
            if (settings.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) {
              throw new IllegalArgumentException(
                  "--property " + kv.substring(0, eq) + " given twice");
            }
          }
          default -> throw new IllegalArgumentException("unknown argument: " + a);
        }
      }
      if (log == null) {
        throw new IllegalArgumentException("--log DIR is required");
      }
      if (!Files.isDirectory(log)) {
        throw new IllegalArgumentException("--log " + log + " is not a directory");
      }
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(
          "usage: java -jar wal-kafka-standalone.jar --log DIR --bootstrap HOST:PORT"
              + " --topic TOPIC [--name NAME] [--property KEY=VALUE]...");
      return 2;
    }
    RelaySettings rs;
    try {
      rs = RelaySettings.parse(log.toAbsolutePath().getFileName().toString(), settings, "--");
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    Wal wal;
    try {
      wal = Wal.open(WalConfig.builder(log).build());
    } catch (Exception e) {
      err.println("error: cannot open the log " + log + ": " + e.getMessage());
      return 4;
    }
    try (wal;
        KafkaRelay relay = KafkaRelay.start(wal, rs)) {
      RelayState shown = null;
      while (!relay.awaitPublished(Duration.ofSeconds(1))) {
        RelayStatus s = relay.status();
        if (s.state() != shown) {
          shown = s.state();
          err.println(
              "relay "
                  + rs.name()
                  + ": "
                  + s.state()
                  + (s.lastError() == null ? "" : " (" + s.lastError() + ")"));
        }
        if (s.state() == RelayState.STOPPED) {
          err.println("error: " + s.lastError());
          return 3;
        }
      }
      RelayStatus s = relay.status();
      out.println(
          "published "
              + log
              + " to "
              + rs.topic()
              + " up to position "
              + s.published()
              + " ("
              + s.recordsPublished()
              + " records in this run)");
      return 0;
    } catch (java.io.IOException e) {
      err.println("error: closing the log " + log + ": " + e.getMessage());
      return 4;
    }
  }

  private static String need(String flag, @Nullable String value) {
    if (value == null || value.startsWith("--")) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return value;
  }
}
