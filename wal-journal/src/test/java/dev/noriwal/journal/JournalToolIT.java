package dev.noriwal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import java.io.File;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's command line, on the packaged jars: {@code java -cp wal-engine.jar:wal-journal.jar
 * dev.noriwal.journal.JournalTool journal DIR --unfinished}, and {@code verify} through the same
 * entry point.
 */
class JournalToolIT {
  @TempDir Path dir;

  public static class Shop {
    public String order(String item) {
      return item;
    }
  }

  @Test
  void theCommandLineListsTheUnfinishedCallOfAJournal() throws Exception {
    Method order = Shop.class.getMethod("order", String.class);
    String open;
    try (Wal wal = Wal.open(WalConfig.builder(dir).preallocate(false).build())) {
      String done =
          Journal.begin(wal, JsonbInvocationCodec.json(), Shop.class, order, new Object[] {"a"});
      Journal.complete(wal, JsonbInvocationCodec.json(), done, order, "a");
      open = Journal.begin(wal, JsonbInvocationCodec.json(), Shop.class, order, new Object[] {"b"});
    }

    List<String> out = java("journal", dir.toString(), "--unfinished");
    assertEquals(1, out.size(), out.toString());
    assertTrue(out.get(0).contains("invocation " + open + " "), out.get(0));
    assertTrue(out.get(0).endsWith("args=[\"b\"]"), out.get(0));

    List<String> verify = java("verify", dir.toString());
    assertTrue(String.join("\n", verify).contains("records"), verify.toString());
  }

  private static List<String> java(String... args) throws Exception {
    Path engineJar = Path.of(Wal.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path journalJar = Path.of(System.getProperty("journal.jar", "target/wal-journal.jar"));
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                engineJar + File.pathSeparator + journalJar,
                "dev.noriwal.journal.JournalTool"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the tool did not finish: " + cmd);
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }
}
