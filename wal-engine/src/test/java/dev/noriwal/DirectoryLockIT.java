package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
      String first = r.readLine();
      assertTrue("READY".equals(first), "child opened the log: " + first);
      IOException e =
          assertThrows(IOException.class, () -> Wal.open(WalConfig.builder(dir).maxSegmentSize(1 << 20).build()));
      assertTrue(e.getMessage().contains("pid " + child.pid()), e.getMessage());
      assertTrue(e.getMessage().contains(dir.toRealPath().toString()), e.getMessage());
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    // The OS released the dead owner's lock; nothing needs to be stolen.
    Wal.open(WalConfig.builder(dir).maxSegmentSize(1 << 20).build()).close();
  }
}
