package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Position;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.cdi.beans.Ledger;
import dev.noriwal.cdi.beans.RecoveryLog;
import dev.noriwal.cdi.beans.Tariffs;
import dev.noriwal.journal.Completion;
import dev.noriwal.journal.Failure;
import dev.noriwal.journal.Invocation;
import dev.noriwal.journal.InvocationCodec;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JournalEntry;
import dev.noriwal.journal.JournalFormat;
import dev.noriwal.journal.JsonbInvocationCodec;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
  @TempDir static Path dir;

  @BeforeAll
  static void configure() {
    TestLogs.directories(dir, "ledger", "tariffs");
  }

  @AfterAll
  static void clear() {
    TestLogs.clear("ledger", "tariffs");
  }

  @BeforeEach
  void forget() {
    RecoveryLog.EVENTS.clear();
  }

  @Test
  void unfinishedCallIsReportedWithDecodedArgumentsUntilAbandoned() throws Exception {
    // What a run that stopped inside post("acct-9", 999) leaves: one finished call, one not.
    Method post = Ledger.class.getMethod("post", String.class, long.class);
    InvocationCodec json = JsonbInvocationCodec.json();
    String pendingId;
    try (Wal wal = Wal.open(WalConfig.builder(dir.resolve("ledger")).build())) {
      String done = Journal.begin(wal, json, Ledger.class, post, new Object[] {"acct-1", 1L});
      Journal.complete(wal, json, done, post, List.of());
      pendingId = Journal.begin(wal, json, Ledger.class, post, new Object[] {"acct-9", 999L});
    }

    try (WeldContainer c = TestLogs.weld(Ledger.class, RecoveryLog.class).initialize()) {
      assertEquals(1, RecoveryLog.EVENTS.size(), RecoveryLog.EVENTS.toString());
      JournalRecovery recovery = RecoveryLog.EVENTS.get(0);
      assertEquals("ledger", recovery.log());
      assertEquals(1, recovery.pending().size());
      PendingInvocation p = recovery.pending().get(0);
      assertEquals(pendingId, p.invocationId());
      assertEquals(Ledger.class.getName(), p.beanClass());
      assertEquals("post(java.lang.String,long)", p.method());
      assertEquals(Optional.of(post), p.resolvedMethod());
      assertArrayEquals(new Object[] {"acct-9", 999L}, p.arguments().orElseThrow());
      assertEquals("[\"acct-9\",999]", p.rawArgumentsText());

      JournalReplay replay = c.select(JournalReplay.class).get();
      assertEquals(1, replay.unfinished("ledger").size());
      replay.abandon("ledger", pendingId, "redone by the test");
      assertEquals(List.of(), replay.unfinished("ledger"));

      List<JournalEntry> all = new ArrayList<>();
      Position end = replay.replay("ledger", Position.START, (pos, e) -> all.add(e));
      assertEquals(4, all.size(), all.toString());
      assertInstanceOf(Invocation.class, all.get(0));
      assertInstanceOf(Completion.class, all.get(1));
      assertInstanceOf(Invocation.class, all.get(2));
      Failure abandoned = assertInstanceOf(Failure.class, all.get(3));
      assertEquals(JournalReplay.Abandoned.class.getName(), abandoned.exceptionType());
      assertEquals("redone by the test", abandoned.message());

      List<JournalEntry> more = new ArrayList<>();
      assertEquals(end, replay.replay("ledger", end, (pos, e) -> more.add(e)));
      assertEquals(List.of(), more);
    }

    RecoveryLog.EVENTS.clear();
    try (WeldContainer c = TestLogs.weld(Ledger.class, RecoveryLog.class).initialize()) {
      assertTrue(c.isRunning());
      assertEquals(1, RecoveryLog.EVENTS.size());
      assertEquals(List.of(), RecoveryLog.EVENTS.get(0).pending());
    }
  }

  @Test
  void callOfAMethodThatNoLongerExistsKeepsItsRawArguments() throws Exception {
    try (Wal wal = Wal.open(WalConfig.builder(dir.resolve("tariffs")).build())) {
      wal.append(
          JournalFormat.toRecord(
              new Invocation(
                  "gone-1",
                  "com.example.Gone",
                  "vanish(int)",
                  Instant.now(),
                  "json",
                  "[1]".getBytes(StandardCharsets.UTF_8))));
    }

    try (WeldContainer c = TestLogs.weld(Tariffs.class, RecoveryLog.class).initialize()) {
      assertTrue(c.isRunning());
      PendingInvocation p = RecoveryLog.EVENTS.get(0).pending().get(0);
      assertEquals("gone-1", p.invocationId());
      assertEquals(Optional.empty(), p.resolvedMethod());
      assertEquals(Optional.empty(), p.arguments());
      assertEquals("[1]", p.rawArgumentsText());
      assertTrue(p.decodeProblem().orElseThrow().contains("com.example.Gone"));
    }
  }
}
