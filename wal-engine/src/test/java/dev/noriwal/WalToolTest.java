package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalToolTest {
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    out.reset();
    err.reset();
    return WalTool.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  void makeLog() throws Exception {
    try (Wal wal = Wal.open(WalConfig.builder(dir).maxSegmentSize(1 << 20).build())) {
      wal.append(
          WalRecord.put(
              "user:1".getBytes(StandardCharsets.UTF_8), "alice".getBytes(StandardCharsets.UTF_8)));
      wal.append(
          WalRecord.putWithTtl(
              "s".getBytes(StandardCharsets.UTF_8),
              new byte[] {0, (byte) 0xff},
              Duration.ofSeconds(5)));
      wal.rotate();
      wal.append(WalRecord.delete("user:1".getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void verifyExitCodesTellCleanFromTornFromDamaged() throws Exception {
    makeLog();
    assertEquals(0, run("verify", dir.toString()), out());
    assertTrue(out().contains("valid records: 3"), out());
    Path last = dir.resolve("000001.wal");
    Files.write(last, new byte[] {5, 5, 0, 1}, java.nio.file.StandardOpenOption.APPEND);
    assertEquals(1, run("verify", dir.toString()), out());
    byte[] first = Files.readAllBytes(dir.resolve("000000.wal"));
    first[3] ^= 1;
    Files.write(dir.resolve("000000.wal"), first);
    assertEquals(2, run("verify", dir.toString()), out());
    assertTrue(out().contains("000000.wal at offset 0"), out());
  }

  @Test
  void dumpPrintsOneLinePerRecordAsTextOrJson() throws Exception {
    makeLog();
    assertEquals(0, run("dump", dir.toString()));
    String[] lines = out().lines().toArray(String[]::new);
    assertEquals(3, lines.length, out());
    assertEquals("0:0 flags=0x00 key=\"user:1\" value=\"alice\"", lines[0]);
    assertTrue(
        lines[1].contains("ttl=5000ms") && lines[1].contains("value=\"\\x00\\xff\""), lines[1]);
    assertTrue(lines[2].startsWith("1:0 flags=0x01 delete"), lines[2]);

    assertEquals(0, run("dump", dir.toString(), "--json", "--from", "0:18"));
    String[] json = out().lines().toArray(String[]::new);
    assertEquals(2, json.length, out());
    assertTrue(json[0].startsWith("{\"segment\":0,\"offset\":18,\"flags\":2,"), json[0]);
    assertTrue(
        json[0].contains(
            "\"value\":\""
                + Base64.getEncoder().encodeToString(new byte[] {0, (byte) 0xff})
                + "\""));
    assertEquals(64, run("dump", dir.toString(), "--bogus"));
    assertEquals(64, run("frobnicate", dir.toString()));
  }

  @Test
  void dumpStopsAtDamageWithExitCodeTwo() throws Exception {
    makeLog();
    byte[] first = Files.readAllBytes(dir.resolve("000000.wal"));
    Files.write(dir.resolve("000000.wal"), Arrays.copyOf(first, first.length - 1));
    assertEquals(2, run("dump", dir.toString()));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("000000.wal"),
        err.toString(StandardCharsets.UTF_8));
  }
}
