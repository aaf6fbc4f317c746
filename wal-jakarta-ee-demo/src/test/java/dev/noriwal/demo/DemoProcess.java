package dev.noriwal.demo;

import static org.junit.jupiter.api.Assertions.fail;

import dev.noriwal.demo.embedded.EmbeddedDemo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded demo in a child JVM, started the way demo.sh starts it (the class path written to
 * target/embedded.classpath), on a free loopback port. Its output goes to {@code <data>.log}.
 */
final class DemoProcess implements AutoCloseable {
  private static final long START_TIMEOUT_SECONDS = 120;

  private final Process process;
  private final int port;
  private final Path logFile;

  private DemoProcess(Process process, int port, Path logFile) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
  }

  /** A fresh directory under target/it for one test's data. */
  static Path newDataDir(String name) throws IOException {
    Path work = Path.of(System.getProperty("demo.work", "target/it")).toAbsolutePath();
    Files.createDirectories(work);
    return Files.createTempDirectory(work, name + "-");
  }

  /** Starts the demo on {@code data} and waits for its ready line. */
  static DemoProcess start(Path data) throws IOException, InterruptedException {
    int port = freePort();
    String classes = System.getProperty("demo.classes", "target/classes");
    String classpath =
        classes
            + java.io.File.pathSeparator
            + Files.readString(
                    Path.of(System.getProperty("demo.classpath-file", "target/embedded.classpath")))
                .trim();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-cp",
                classpath,
                EmbeddedDemo.class.getName(),
                "--port",
                Integer.toString(port),
                "--data",
                data.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Path log = data.resolveSibling(data.getFileName() + "-" + System.nanoTime() + ".log");
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  Writer w = Files.newBufferedWriter(log)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  w.write(line);
                  w.write('\n');
                  w.flush();
                  if (line.startsWith(EmbeddedDemo.READY)) {
                    ready.complete(null);
                  }
                }
              } catch (IOException e) {
                // The process was killed; its output ends here.
              } finally {
                ready.completeExceptionally(new IllegalStateException("the demo exited"));
              }
            },
            "demo-output-" + port);
    pump.setDaemon(true);
    pump.start();
    try {
      ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      p.destroyForcibly().waitFor();
      fail("the demo did not start (" + e + "); its output:\n" + Files.readString(log));
    }
    return new DemoProcess(p, port, log);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port + "/";
  }

  Api api() {
    return new Api(baseUrl());
  }

  long pid() {
    return process.pid();
  }

  String output() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kill -9. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM: a clean shutdown. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
