package dev.noriwal.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Position;
import dev.noriwal.WalEntry;
import dev.noriwal.WalRecord;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JournalFormatTest {
  private static final Instant TS = Instant.parse("2026-11-26T10:15:30.123456Z");

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The layout drawn in JournalFormat's javadoc, written out by hand. */
  private static final class Drawn {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Drawn u8(int b) {
      out.write(b);
      return this;
    }

    Drawn i32(int v) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
      return this;
    }

    Drawn i64(long v) {
      out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
      return this;
    }

    Drawn field(String s) {
      byte[] b = utf8(s);
      return i32(b.length).bytes(b);
    }

    Drawn bytes(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    Drawn header(char type, String id) {
      return u8(1).u8(type).field(id).i64(TS.getEpochSecond()).i32(TS.getNano());
    }

    byte[] value() {
      return out.toByteArray();
    }
  }

  @Test
  void anInvocationIsStoredInTheDrawnLayout() {
    byte[] args = utf8("[\"a\",5]");
    Invocation inv =
        new Invocation(
            "id-1", "com.example.Bank", "transfer(java.lang.String,long)", TS, "json", args);

    WalRecord r = JournalFormat.toRecord(inv);

    assertEquals("inv/id-1", new String(r.key(), StandardCharsets.UTF_8));
    byte[] drawn =
        new Drawn()
            .header('I', "id-1")
            .field("com.example.Bank")
            .field("transfer(java.lang.String,long)")
            .field("json")
            .i32(args.length)
            .bytes(args)
            .value();
    assertArrayEquals(drawn, r.value());
    assertEquals(inv, JournalFormat.fromRecord(r));
    assertFalse(r.isTombstone());
  }

  @Test
  void completionsAndFailuresAreStoredInTheDrawnLayout() {
    byte[] result = utf8("{\"x\":[1,2]}");
    assertArrayEquals(
        new Drawn().header('C', "id-2").i32(result.length).bytes(result).value(),
        JournalFormat.toRecord(new Completion("id-2", TS, result)).value());
    assertArrayEquals(
        new Drawn().header('C', "id-3").i32(-1).value(),
        JournalFormat.toRecord(new Completion("id-3", TS, null)).value());
    assertArrayEquals(
        new Drawn().header('F', "id-4").field("java.lang.IllegalStateException").field("é").value(),
        JournalFormat.toRecord(new Failure("id-4", TS, "java.lang.IllegalStateException", "é"))
            .value());
    assertArrayEquals(
        new Drawn().header('F', "id-5").field("java.lang.NullPointerException").i32(-1).value(),
        JournalFormat.toRecord(new Failure("id-5", TS, "java.lang.NullPointerException", null))
            .value());
  }

  @Test
  void everyKindOfEntryRoundTrips() {
    for (JournalEntry e :
        new JournalEntry[] {
          new Invocation("id-1", "B", "m()", TS, "json", new byte[0]),
          new Invocation("id-0", "B", "m(byte[])", TS, "raw", new byte[] {0, -1, 7}),
          new Completion("id-2", TS, utf8("{\"x\":[1,2]}")),
          new Completion("id-3", TS, null),
          new Completion("id-6", TS, new byte[0]),
          new Failure("id-4", TS, "java.lang.IllegalStateException", "no \"funds\"\n"),
          new Failure("id-5", Instant.EPOCH.minusNanos(1), "java.lang.NullPointerException", null)
        }) {
      assertEquals(e, JournalFormat.fromRecord(JournalFormat.toRecord(e)));
    }
  }

  @Test
  void otherRecordsAreNotJournalRecords() {
    WalRecord other = WalRecord.put(utf8("order/1"), utf8("{}"));
    assertFalse(JournalFormat.isJournalRecord(other));
    assertFalse(JournalFormat.isJournalRecord(WalRecord.delete(utf8("inv/x"))));
    JournalFormatException e =
        assertThrows(JournalFormatException.class, () -> JournalFormat.fromRecord(other));
    assertTrue(e.getMessage().contains("inv/"), e.getMessage());
  }

  @Test
  void anUnknownVersionIsRefusedNamingTheRecordsPosition() {
    byte[] v2 = new Drawn().header('C', "a").i32(-1).value();
    v2[0] = 2;
    WalEntry entry =
        new WalEntry(
            new Position(3, 4096), WalRecord.put(utf8("inv/a"), v2), new Position(3, 4200));

    JournalFormatException e =
        assertThrows(JournalFormatException.class, () -> JournalFormat.fromEntry(entry));

    assertEquals(
        "journal record at 3:4096 (inv/a), value offset 0: unknown version 2 (this reader knows 1)",
        e.getMessage());
  }

  @Test
  void damagedValuesAreRefusedNamingTheOffsetAndWhatIsWrong() {
    byte[] good = new Drawn().header('I', "a").field("B").field("m()").field("json").value();
    assertMessage(new byte[0], "value offset 0: the value ends before the version");
    assertMessage(new Drawn().u8(1).value(), "value offset 1: the value ends before the type");
    assertMessage(new Drawn().header('X', "a").value(), "value offset 1: unknown type 0x58");
    assertMessage(
        new Drawn().header('C', "b").i32(-1).value(),
        "value offset 2: invocation id b differs from the key's a");
    assertMessage(
        Arrays.copyOf(good, good.length), // the arguments field is missing
        "value offset " + good.length + ": the value ends inside the length of the arguments");
    assertMessage(
        new Drawn().header('C', "a").i32(100).bytes(new byte[3]).value(),
        "the result is 100 bytes long, 3 remain");
    assertMessage(
        new Drawn().header('C', "a").i32(-1).u8(0).value(),
        "1 byte(s) after the last field of the entry");
    assertMessage(
        new Drawn().header('F', "a").i32(2).bytes(new byte[] {(byte) 0xC3, 0x28}).i32(-1).value(),
        "the exception is not UTF-8");
    assertMessage(
        new Drawn().header('F', "a").i32(-1).i32(-1).value(),
        "the exception is marked absent but is required");
    assertMessage(
        new Drawn().u8(1).u8('C').field("a").i64(Long.MAX_VALUE).i32(0).i32(-1).value(),
        "the time is out of range");
  }

  private static void assertMessage(byte[] value, String part) {
    JournalFormatException e =
        assertThrows(
            JournalFormatException.class,
            () -> JournalFormat.fromRecord(WalRecord.put(utf8("inv/a"), value)));
    assertTrue(e.getMessage().contains(part), e.getMessage());
    assertTrue(e.getMessage().startsWith("journal record (inv/a), value offset "), e.getMessage());
  }
}
