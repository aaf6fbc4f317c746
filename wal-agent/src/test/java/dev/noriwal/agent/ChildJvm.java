package dev.noriwal.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A forked JVM running a class from the test classes, with its output captured line by line. */
final class ChildJvm implements AutoCloseable {
  static final long TIMEOUT_SECONDS = 90;

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();

  private final List<Thread> pumps = new ArrayList<>();

  private ChildJvm(Process process) {
    this.process = process;
    pump(
        process.getInputStream(),
        line -> {
          stdout.add(line);
          lines.add(line);
        });
    pump(process.getErrorStream(), stderr::add);
  }

  /** Starts {@code mainClass}; {@code agentOptions} null means no {@code -javaagent}. */
  static ChildJvm start(Class<?> mainClass, String agentOptions) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+IgnoreUnrecognizedVMOptions");
    cmd.add("-XX:+EnableDynamicAgentLoading");
    if (agentOptions != null) {
      cmd.add("-javaagent:" + agentJar() + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
    }
    cmd.add("-cp");
    cmd.add(testClasses().toString());
    cmd.add(mainClass.getName());
    return new ChildJvm(new ProcessBuilder(cmd).start());
  }

  static Path testClasses() {
    try {
      return Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The packaged agent jar: system property {@code agent.jar} (set by failsafe) or target/. */
  static Path agentJar() throws IOException {
    String prop = System.getProperty("agent.jar");
    if (prop != null && Files.isRegularFile(Path.of(prop))) {
      return Path.of(prop);
    }
    Path target = testClasses().getParent();
    try (Stream<Path> s = Files.list(target)) {
      return s.filter(p -> p.getFileName().toString().matches("wal-agent-[0-9].*[0-9T]\\.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no wal-agent-*.jar in "
                          + target
                          + ": run the ITs with mvn verify (failsafe runs after package)"));
    }
  }

  private void pump(InputStream in, java.util.function.Consumer<String> sink) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                  sink.accept(l);
                }
              } catch (IOException e) {
                // process ended
              }
            });
    t.setDaemon(true);
    t.start();
    pumps.add(t);
  }

  long pid() {
    return process.pid();
  }

  /** Waits for the next stdout line matching {@code p}, skipping others. */
  String await(Predicate<String> p, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("child never printed " + what + "\n" + report());
      }
      if (p.test(line)) {
        return line;
      }
    }
  }

  void send(String line) throws IOException {
    Writer w = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    w.write(line + "\n");
    w.flush();
  }

  /** Waits for the child to exit by itself and returns its exit code. */
  int waitForExit() throws InterruptedException {
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("child did not exit\n" + report());
    }
    for (Thread t : pumps) {
      t.join(TimeUnit.SECONDS.toMillis(10)); // the streams end when the child has exited
    }
    return process.exitValue();
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  List<String> stdout() {
    return stdout;
  }

  List<String> stderr() {
    return stderr;
  }

  String report() {
    return "--- stdout\n"
        + String.join("\n", stdout)
        + "\n--- stderr\n"
        + String.join("\n", stderr);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
