package dev.noriwal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalToolTest {
  @TempDir Path dir;

  public static class Shop {
    public String order(String item, int count) {
      return item + count;
    }
  }

  private String done;
  private String failed;
  private String open;

  private void writeJournal() throws Exception {
    Method order = Shop.class.getMethod("order", String.class, int.class);
    InvocationCodec json = JsonbInvocationCodec.json();
    try (Wal wal = Wal.open(WalConfig.builder(dir).preallocate(false).build())) {
      done = Journal.begin(wal, json, Shop.class, order, new Object[] {"tea", 2});
      Journal.complete(wal, json, done, order, "tea2");
      wal.append(WalRecord.put(bytes("not/a/journal"), bytes("x")));
      failed = Journal.begin(wal, json, Shop.class, order, new Object[] {"cake", 1});
      Journal.fail(wal, failed, new IllegalStateException("sold out"));
      open = Journal.begin(wal, json, Shop.class, order, new Object[] {"pie", 3});
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> run(int expectedExit, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        JournalTool.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(expectedExit, exit, err.toString(StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  @Test
  void journalPrintsEveryEntryAsTextAndSkipsOtherRecords() throws Exception {
    writeJournal();

    List<String> lines = run(0, "journal", dir.toString());

    assertEquals(5, lines.size(), lines.toString());
    assertTrue(
        lines
            .get(0)
            .matches(
                "0:\\d+ invocation "
                    + done
                    + " \\S+ "
                    + Pattern.quote(
                        Shop.class.getName() + "#order(java.lang.String,int) codec=json args=")
                    + Pattern.quote("[\"tea\",2]")),
        lines.get(0));
    assertTrue(
        lines.get(1).contains("completion " + done) && lines.get(1).endsWith("result=\"tea2\""));
    assertTrue(
        lines.get(3).contains("failure " + failed)
            && lines.get(3).endsWith("java.lang.IllegalStateException: sold out"));
    assertTrue(lines.get(4).contains("invocation " + open));
  }

  @Test
  void unfinishedListsOnlyInvocationsWithoutAnOutcome() throws Exception {
    writeJournal();

    List<String> lines = run(0, "journal", dir.toString(), "--unfinished");

    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains("invocation " + open + " "), lines.get(0));
  }

  @Test
  void jsonPrintsEachEntryAsOneObjectWithTheCodecsJsonEmbedded() throws Exception {
    writeJournal();

    List<String> lines = run(0, "journal", dir.toString(), "--json");

    assertEquals(5, lines.size(), lines.toString());
    assertTrue(
        lines
            .get(0)
            .matches(
                Pattern.quote("{\"position\":\"0:")
                    + "\\d+"
                    + Pattern.quote(
                        "\",\"type\":\"invocation\",\"id\":\"" + done + "\",\"time\":\"")
                    + "[^\"]+"
                    + Pattern.quote(
                        "\",\"bean\":\""
                            + Shop.class.getName()
                            + "\",\"method\":\"order(java.lang.String,int)\",\"codec\":\"json\","
                            + "\"args\":[\"tea\",2]}")),
        lines.get(0));
    assertTrue(
        lines.get(1).contains("\"type\":\"completion\",\"id\":\"" + done + "\"")
            && lines.get(1).endsWith(",\"result\":\"tea2\"}"),
        lines.get(1));
    assertTrue(
        lines
            .get(3)
            .endsWith(
                "\"exception\":\"java.lang.IllegalStateException\",\"message\":\"sold out\"}"),
        lines.get(3));
  }

  @Test
  void jsonWithUnfinishedPrintsOnlyTheOpenInvocation() throws Exception {
    writeJournal();

    List<String> lines = run(0, "journal", dir.toString(), "--json", "--unfinished");

    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains("\"id\":\"" + open + "\""), lines.get(0));
    assertTrue(lines.get(0).endsWith("\"args\":[\"pie\",3]}"), lines.get(0));
  }

  @Test
  void badUsageExitsWith64() {
    run(64, "journal");
    run(64, "journal", dir.toString(), "--colour");
    run(64, "journal", dir.resolve("missing").toString());
  }
}
