package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes on one directory: the second fails fast naming the owner's PID (anchors 31). */
class DirectoryLockIT {
  @TempDir Path dir;

  @Test
  void secondProcessIsRefusedWithTheOwnersPidAndALockDiesWithItsProcess() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                dir.toString(),
                "1",
                "0")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
      String first = r.readLine();
      assertTrue("READY".equals(first), "child opened the log: " + first);
      IOException e =
          assertThrows(
              IOException.class,
              () -> Wal.open(WalConfig.builder(dir).maxSegmentSize(1 << 20).build()));
      assertTrue(e.getMessage().contains("pid " + child.pid()), e.getMessage());
      assertTrue(e.getMessage().contains(dir.toRealPath().toString()), e.getMessage());
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    // The OS released the dead owner's lock; nothing needs to be stolen.
    Wal.open(WalConfig.builder(dir).maxSegmentSize(1 << 20).build()).close();
  }

  @Test
  void readingTheOwnersPidFileInTheOwningProcessKeepsOtherProcessesOut() throws Exception {
    // Issue 8 scenario 8: a health check in the owning process reads the PID. A POSIX lock dies
    // with any channel of the process on the locked file, so the PID must live elsewhere.
    try (Wal wal = Wal.open(WalConfig.builder(dir).maxSegmentSize(1 << 20).build())) {
      String pid = Files.readString(dir.resolve(DirectoryLock.PID_FILE)).trim();
      assertEquals(Long.toString(ProcessHandle.current().pid()), pid);
      for (int i = 0; i < 3; i++) {
        Files.readAllBytes(dir.resolve(DirectoryLock.PID_FILE));
      }
      Process probe =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  OpenProbe.class.getName(),
                  dir.toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String answer;
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(probe.getInputStream(), StandardCharsets.US_ASCII))) {
        answer = r.readLine();
      }
      assertTrue(probe.waitFor(60, TimeUnit.SECONDS));
      assertTrue(answer != null && answer.startsWith("REFUSED"), "second process: " + answer);
      assertTrue(answer.contains("pid " + pid), answer);
      assertEquals(Position.START, wal.append(WalRecord.put(new byte[] {1}, new byte[] {2})));
    }
  }
}
