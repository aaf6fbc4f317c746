package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Wal;
import dev.noriwal.cdi.beans.Ledger;
import dev.noriwal.cdi.beans.Tariffs;
import dev.noriwal.jmx.WalService;
import dev.noriwal.journal.Completion;
import dev.noriwal.journal.Failure;
import dev.noriwal.journal.Invocation;
import dev.noriwal.journal.JournalCodecException;
import dev.noriwal.journal.JournalEntry;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableWeld
class JournalingTest {
  @TempDir static Path dir;

  @WeldSetup
  WeldInitiator weld = WeldInitiator.from(TestLogs.weld(Ledger.class, Tariffs.class)).build();

  @Inject Ledger ledger;
  @Inject Tariffs tariffs;

  @BeforeAll
  static void configure() {
    TestLogs.directories(dir, "ledger", "tariffs");
    // Under "always" an append returns after its force, so a reader (which stops at the durable
    // position) inside the method sees the invocation record only if it was forced first.
    TestLogs.set("ledger", "fsync", "always");
  }

  @AfterAll
  static void clear() {
    TestLogs.clear("ledger", "tariffs");
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private List<JournalEntry> entries() {
    return TestLogs.entries(ledger.wal());
  }

  @Test
  void invocationRecordIsDurableBeforeTheMethodBodyRuns() {
    List<String> seenInside = ledger.post("acct-1", 250);

    assertEquals(List.of("post(java.lang.String,long) [\"acct-1\",250]"), seenInside);
  }

  @Test
  void normalReturnAppendsCompletionWithTheEncodedResult() {
    int before = entries().size();
    ledger.post("acct-2", 7);

    List<JournalEntry> added = entries().subList(before, entries().size());
    assertEquals(2, added.size(), added.toString());
    Invocation inv = assertInstanceOf(Invocation.class, added.get(0));
    assertEquals(Ledger.class.getName(), inv.beanClass());
    assertEquals("post(java.lang.String,long)", inv.method());
    assertEquals("json", inv.codec());
    assertEquals("[\"acct-2\",7]", utf8(inv.arguments()));
    Completion done = assertInstanceOf(Completion.class, added.get(1));
    assertEquals(inv.invocationId(), done.invocationId());
    assertEquals("[\"post(java.lang.String,long) [\\\"acct-2\\\",7]\"]", utf8(done.result()));
  }

  @Test
  void throwAppendsFailureAndRethrowsTheSameException() {
    int before = entries().size();

    IllegalStateException thrown =
        assertThrows(IllegalStateException.class, () -> ledger.close("acct-3"));

    assertEquals("account is frozen: acct-3", thrown.getMessage());
    List<JournalEntry> added = entries().subList(before, entries().size());
    assertEquals(2, added.size(), added.toString());
    Invocation inv = assertInstanceOf(Invocation.class, added.get(0));
    Failure failed = assertInstanceOf(Failure.class, added.get(1));
    assertEquals(inv.invocationId(), failed.invocationId());
    assertEquals(IllegalStateException.class.getName(), failed.exceptionType());
    assertEquals("account is frozen: acct-3", failed.message());
  }

  @Test
  void resultTheCodecCannotEncodeCompletesWithoutResult() {
    int before = entries().size();
    ledger.snapshot();

    List<JournalEntry> added = entries().subList(before, entries().size());
    assertEquals(2, added.size(), added.toString());
    assertNull(assertInstanceOf(Completion.class, added.get(1)).result());
  }

  @Test
  void argumentTheCodecCannotEncodeStopsTheCallBeforeTheBody() {
    int before = entries().size();
    int bodies = ledger.bodiesRun();

    assertThrows(JournalCodecException.class, () -> ledger.attach(new Ledger.Exploding()));

    assertEquals(bodies, ledger.bodiesRun());
    assertEquals(before, entries().size());
  }

  @Test
  void closedLogStopsTheCallBeforeTheBody() throws Exception {
    int bodies = ledger.bodiesRun();
    WalService.get().close("ledger");

    assertThrows(RuntimeException.class, () -> ledger.post("acct-4", 1));

    assertEquals(bodies, ledger.bodiesRun());
  }

  @Test
  void classBindingJournalsEveryBusinessMethodWithTheChosenCodec() {
    Wal log = WalService.get().find("tariffs").orElseThrow();
    int before = TestLogs.entries(log).size();

    Tariffs.Tariff t = new Tariffs.Tariff("north", new BigDecimal("0.31"));
    assertEquals(t, tariffs.set(t));
    assertEquals(1, tariffs.count());

    List<JournalEntry> added = TestLogs.entries(log).subList(before, TestLogs.entries(log).size());
    assertEquals(4, added.size(), added.toString());
    Invocation set = assertInstanceOf(Invocation.class, added.get(0));
    assertEquals("jsonb", set.codec());
    assertEquals("set(" + Tariffs.Tariff.class.getName() + ")", set.method());
    assertTrue(utf8(set.arguments()).contains("\"north\""), utf8(set.arguments()));
    assertTrue(utf8(set.arguments()).contains("0.31"), utf8(set.arguments()));
    assertInstanceOf(Completion.class, added.get(1));
    assertEquals("count()", assertInstanceOf(Invocation.class, added.get(2)).method());
    assertEquals("1", utf8(assertInstanceOf(Completion.class, added.get(3)).result()));
  }

  @Test
  void interceptorPriorityIsLibraryBeforePlus100() {
    assertEquals(1100, JournalInterceptor.PRIORITY);
    assertEquals(
        JournalInterceptor.PRIORITY,
        JournalInterceptor.class.getAnnotation(jakarta.annotation.Priority.class).value());
  }
}
