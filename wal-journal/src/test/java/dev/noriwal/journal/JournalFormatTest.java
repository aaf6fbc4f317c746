package dev.noriwal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.WalRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JournalFormatTest {
  private static final Instant TS = Instant.parse("2026-11-26T10:15:30.123456Z");

  private static WalRecord record(String key, String value) {
    return WalRecord.put(
        key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void invocationHasTheDocumentedLayout() {
    Invocation inv =
        new Invocation(
            "id-1", "com.example.Bank", "transfer(java.lang.String,long)", TS, "json", "[\"a\",5]");
    WalRecord r = JournalFormat.toRecord(inv);
    assertEquals("inv/id-1", new String(r.key(), StandardCharsets.UTF_8));
    assertEquals(
        "{\"v\":1,\"type\":\"invocation\",\"id\":\"id-1\",\"ts\":\"2026-11-26T10:15:30.123456Z\","
            + "\"bean\":\"com.example.Bank\",\"method\":\"transfer(java.lang.String,long)\","
            + "\"codec\":\"json\",\"args\":\"[\\\"a\\\",5]\"}",
        new String(r.value(), StandardCharsets.UTF_8));
    assertEquals(inv, JournalFormat.fromRecord(r));
  }

  @Test
  void completionAndFailureRoundTrip() {
    for (JournalEntry e :
        new JournalEntry[] {
          new Completion("id-2", TS, "{\"x\":[1,2]}"),
          new Completion("id-3", TS, null),
          new Failure("id-4", TS, "java.lang.IllegalStateException", "no \"funds\"\n"),
          new Failure("id-5", TS, "java.lang.NullPointerException", null)
        }) {
      assertEquals(e, JournalFormat.fromRecord(JournalFormat.toRecord(e)));
    }
  }

  @Test
  void otherRecordsAreNotJournalRecords() {
    WalRecord other = record("order/1", "{}");
    assertFalse(JournalFormat.isJournalRecord(other));
    assertFalse(
        JournalFormat.isJournalRecord(WalRecord.delete("inv/x".getBytes(StandardCharsets.UTF_8))));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JournalFormat.fromRecord(other));
    assertTrue(e.getMessage().contains("inv/"), e.getMessage());
  }

  @Test
  void damagedJournalRecordsAreNamed() {
    assertTrue(JournalFormat.isJournalRecord(record("inv/a", "x")));
    assertMessage(record("inv/a", "not json"), "not JSON");
    assertMessage(record("inv/a", "[1]"), "not a JSON object");
    assertMessage(
        record(
            "inv/a",
            "{\"v\":2,\"type\":\"completion\",\"id\":\"a\",\"ts\":\"2026-01-01T00:00:00Z\"}"),
        "version");
    assertMessage(
        record(
            "inv/a",
            "{\"v\":1,\"type\":\"completion\",\"id\":\"b\",\"ts\":\"2026-01-01T00:00:00Z\"}"),
        "not the key's id");
    assertMessage(
        record("inv/a", "{\"v\":1,\"type\":\"nope\",\"id\":\"a\",\"ts\":\"2026-01-01T00:00:00Z\"}"),
        "unknown \"type\"");
    assertMessage(
        record(
            "inv/a",
            "{\"v\":1,\"type\":\"invocation\",\"id\":\"a\",\"ts\":\"2026-01-01T00:00:00Z\"}"),
        "\"bean\"");
    assertMessage(
        record("inv/a", "{\"v\":1,\"type\":\"failure\",\"id\":\"a\",\"ts\":\"yesterday\"}"),
        "\"ts\"");
  }

  @Test
  void unknownMembersAreIgnored() {
    JournalEntry e =
        JournalFormat.fromRecord(
            record(
                "inv/a",
                "{\"v\":1,\"type\":\"completion\",\"id\":\"a\",\"ts\":\"2026-01-01T00:00:00Z\",\"result\":null,\"extra\":{\"k\":[]}}"));
    assertEquals(new Completion("a", Instant.parse("2026-01-01T00:00:00Z"), null), e);
  }

  private static void assertMessage(WalRecord r, String part) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JournalFormat.fromRecord(r));
    assertTrue(e.getMessage().contains(part), e.getMessage());
    assertTrue(e.getMessage().contains("inv/a"), e.getMessage());
  }
}
