package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.noriwal.cdi.crash.CrashApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a Weld SE application (a forked JVM) while it is inside a journaled method, restarts it and
 * checks that the recovery event lists exactly that call, with its decoded arguments.
 *
 * <p>Run: {@code mvn -pl wal-cdi verify -Dit.test=JournalCrashIT}.
 */
class JournalCrashIT {
  @TempDir Path dir;

  @Test
  @Timeout(
      value = 5,
      unit = TimeUnit.MINUTES) // a hang guard for the forked JVMs, not a timing check
  void callKilledMidwayIsReportedOnRestartWithItsArguments() throws Exception {
    Process crashing = start("crash");
    List<String> first;
    try {
      first = readUntil(crashing, "IN-CALL");
    } finally {
      crashing.destroyForcibly();
      crashing.waitFor();
    }
    assertTrue(first.contains("RECOVERED transfers 0"), first.toString());

    Process restarted = start("recover");
    List<String> second;
    try {
      second = readUntil(restarted, "DONE");
      assertEquals(0, restarted.waitFor(), second.toString());
    } finally {
      restarted.destroyForcibly();
    }

    List<String> pending = second.stream().filter(l -> l.startsWith("PENDING ")).toList();
    assertEquals(
        List.of(
            "PENDING transfers transferAndHang(java.lang.String,long,java.util.List)"
                + " acct-7:String|1250:Long|[urgent, eu]:ArrayList"),
        pending,
        second.toString());
    assertTrue(second.contains("RECOVERED transfers 1"), second.toString());
  }

  private Process start(String mode) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "-Dnori.wal.base-dir=" + dir,
            // "always": the invocation record is forced before the method body runs.
            "-Dnori.wal.transfers.fsync=always",
            CrashApp.class.getName(),
            mode)
        .redirectErrorStream(true)
        .start();
  }

  /** Lines printed by {@code p} up to and including {@code marker}. */
  private static List<String> readUntil(Process p, String marker) throws IOException {
    List<String> lines = new ArrayList<>();
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      lines.add(line);
      if (line.equals(marker)) {
        return lines;
      }
    }
    return fail("the application ended before printing " + marker + ": " + lines);
  }
}
