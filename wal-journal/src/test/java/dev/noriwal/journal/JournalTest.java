package dev.noriwal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  private static final InvocationCodec CODEC = JsonbInvocationCodec.json();

  @TempDir Path dir;

  @SuppressWarnings("unused")
  static class Bank {
    long transfer(String to, long cents) {
      return cents;
    }

    void audit() {}

    void secret(Object o) {}
  }

  private static Method method(String name) throws NoSuchMethodException {
    for (Method m : Bank.class.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new NoSuchMethodException(name);
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private Wal open() throws Exception {
    return Wal.open(
        WalConfig.builder(dir).fsyncPolicy(FsyncPolicy.always()).preallocate(false).build());
  }

  @Test
  void writesEntriesAndFindsUnfinishedCallsInLogOrder() throws Exception {
    InvocationCodec codec = CODEC;
    Method transfer = method("transfer");
    String done;
    String failed;
    String open1;
    String open2;
    try (Wal wal = open()) {
      done = Journal.begin(wal, codec, Bank.class, transfer, new Object[] {"bob", 5L});
      open1 = Journal.begin(wal, codec, Bank.class, transfer, new Object[] {"amy", 7L});
      wal.append(
          WalRecord.put(
              "order/1".getBytes(StandardCharsets.UTF_8),
              "not journal".getBytes(StandardCharsets.UTF_8)));
      failed = Journal.begin(wal, codec, Bank.class, method("audit"), new Object[0]);
      Journal.complete(wal, codec, done, transfer, 5L);
      Journal.fail(wal, failed, new IllegalStateException("closed"));
      open2 = Journal.begin(wal, codec, Bank.class, method("audit"), null);

      List<JournalEntry> all = Journal.entries(wal);
      assertEquals(6, all.size());
      Invocation first = assertInstanceOf(Invocation.class, all.get(0));
      assertEquals(done, first.invocationId());
      assertEquals(Bank.class.getName(), first.beanClass());
      assertEquals("transfer(java.lang.String,long)", first.method());
      assertEquals("json", first.codec());
      assertEquals("[\"bob\",5]", utf8(first.arguments()));
      Completion c = assertInstanceOf(Completion.class, all.get(3));
      assertEquals("5", utf8(c.result()));
      Failure f = assertInstanceOf(Failure.class, all.get(4));
      assertEquals("java.lang.IllegalStateException", f.exceptionType());
      assertEquals("closed", f.message());

      assertEquals(
          List.of(open1, open2),
          Journal.unfinished(wal).stream().map(Invocation::invocationId).toList());
    }
    List<Invocation> reopened = Journal.unfinished(dir);
    assertEquals(List.of(open1, open2), reopened.stream().map(Invocation::invocationId).toList());
    assertEquals("[]", utf8(reopened.get(1).arguments()));
  }

  @Test
  void voidCompletionStoresNoResult() throws Exception {
    try (Wal wal = open()) {
      String id = Journal.begin(wal, CODEC, Bank.class, method("audit"), new Object[0]);
      Journal.complete(wal, CODEC, id, method("audit"), null);
      Completion c = assertInstanceOf(Completion.class, Journal.entries(wal).get(1));
      assertNull(c.result());
      assertTrue(Journal.unfinished(wal).isEmpty());
    }
  }

  @Test
  void unencodableArgumentsAppendNothing() throws Exception {
    try (Wal wal = open()) {
      assertThrows(
          JournalCodecException.class,
          () -> Journal.begin(wal, CODEC, Bank.class, method("secret"), new Object[] {"x"}));
      assertTrue(Journal.entries(wal).isEmpty());
    }
  }

  @Test
  void emptyLogHasNothingUnfinished() throws Exception {
    try (Wal wal = open()) {
      assertTrue(Journal.unfinished(wal).isEmpty());
    }
  }
}
