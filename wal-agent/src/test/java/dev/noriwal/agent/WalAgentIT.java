package dev.noriwal.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.journal.Completion;
import dev.noriwal.journal.Failure;
import dev.noriwal.journal.Invocation;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JournalEntry;
import dev.noriwal.journal.JsonbInvocationCodec;
import example.app.AttachApp;
import example.app.Bank;
import example.app.BlockingApp;
import example.app.JournaledApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent jar in forked JVMs: journaling, MBeans, attach, bad options, a crash. */
class WalAgentIT {
  @TempDir Path tmp;

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static List<JournalEntry> journal(Path dir) throws Exception {
    try (Wal wal = Wal.open(WalConfig.builder(dir).preallocate(false).build())) {
      return Journal.entries(wal);
    }
  }

  @Test
  void journalsInvocationsCompletionsAndFailuresAndRegistersMBeans() throws Exception {
    Path dir = tmp.resolve("orders");
    try (ChildJvm child =
        ChildJvm.start(
            JournaledApp.class,
            "nori.wal.orders.directory="
                + dir
                + ",nori.wal.orders.fsync=always,nori.wal.orders.segment-size=1MiB")) {
      assertEquals(0, child.waitForExit(), child.report());
      List<String> out = child.stdout();
      assertTrue(out.contains("RESULT transfer 5"), child.report());
      assertTrue(out.contains("RESULT greet hello amy ben"), child.report());
      assertTrue(out.contains("THREW refuse no funds"), child.report());
      assertTrue(out.contains("RESULT notJournaled 2"), child.report());
      assertTrue(out.contains("MBEAN dev.noriwal:type=Service"), child.report());
      assertTrue(out.contains("MBEAN dev.noriwal:type=Log,name=orders"), child.report());
      assertTrue(out.contains("MBEAN dev.noriwal:type=Agent"), child.report());
      assertTrue(out.contains("ATTR orders State=OPEN"), child.report());
      assertTrue(out.contains("ATTR orders RecordsAppended=6"), child.report());
      assertTrue(out.contains("ATTR Agent InvocationsJournaled=3"), child.report());
      assertTrue(out.contains("ATTR Agent InvocationsRefused=0"), child.report());
      assertTrue(out.contains("ATTR Agent InstrumentedTypes=1"), child.report());
      assertTrue(out.contains("DONE"), child.report());
      assertTrue(
          child
              .stderr()
              .contains(
                  "INFO: nori-wal agent: log \"orders\": directory="
                      + dir
                      + " (nori.wal.orders.directory, agent option),"
                      + " fsync=always (nori.wal.orders.fsync, agent option),"
                      + " segment-size=1MiB (nori.wal.orders.segment-size, agent option),"
                      + " recovery=TOLERATE_TORN_TAIL (default), preallocate=true (default)"),
          child.report());
    }

    List<JournalEntry> entries = journal(dir);
    assertEquals(6, entries.size(), entries.toString());
    Invocation transfer = assertInstanceOf(Invocation.class, entries.get(0));
    assertEquals(Bank.class.getName(), transfer.beanClass());
    assertEquals("transfer(java.lang.String,long)", transfer.method());
    assertEquals("json", transfer.codec());
    assertEquals("[\"bob\",5]", utf8(transfer.arguments()));
    Completion transferDone = assertInstanceOf(Completion.class, entries.get(1));
    assertEquals(transfer.invocationId(), transferDone.invocationId());
    assertEquals("5", utf8(transferDone.result()));

    Invocation greet = assertInstanceOf(Invocation.class, entries.get(2));
    assertEquals("greet(java.util.List)", greet.method());
    assertEquals("[[\"amy\",\"ben\"]]", utf8(greet.arguments()));
    Completion greetDone = assertInstanceOf(Completion.class, entries.get(3));
    assertEquals(greet.invocationId(), greetDone.invocationId());
    assertEquals("\"hello amy ben\"", utf8(greetDone.result()));

    Invocation refuse = assertInstanceOf(Invocation.class, entries.get(4));
    assertEquals("refuse(java.lang.String)", refuse.method());
    Failure refused = assertInstanceOf(Failure.class, entries.get(5));
    assertEquals(refuse.invocationId(), refused.invocationId());
    assertEquals(IllegalStateException.class.getName(), refused.exceptionType());
    assertEquals("no funds", refused.message());
    assertTrue(Journal.unfinished(entries).isEmpty());
  }

  @Test
  void brokenOptionsDoNotStopTheApplication() throws Exception {
    Path dir = tmp.resolve("orders");
    try (ChildJvm child =
        ChildJvm.start(
            JournaledApp.class,
            "bogus,nori.wal.x.fsync=sometimes,failFast=maybe,"
                + "nori.wal.orders.segment-size=12XB,nori.wal.orders.directory="
                + dir)) {
      assertEquals(0, child.waitForExit(), child.report());
      assertTrue(child.stdout().contains("DONE"), child.report());
      assertTrue(
          child.stderr().stream()
              .anyMatch(l -> l.startsWith("WARNING: nori-wal agent:") && l.contains("bogus")),
          child.report());
      assertTrue(
          child.stderr().stream().anyMatch(l -> l.contains("nori.wal.x.fsync=sometimes")),
          child.report());
      // log "orders" had a bad setting, so it is not opened: journaled calls are refused, never run
      // unjournaled
      assertTrue(
          child.stdout().stream().anyMatch(l -> l.startsWith("REFUSED transfer")), child.report());
      assertTrue(child.stdout().contains("RESULT notJournaled 2"), child.report());
      assertTrue(child.stdout().contains("ATTR Agent InvocationsRefused=3"), child.report());
      assertTrue(child.stdout().contains("MBEAN dev.noriwal:type=Agent"), child.report());
    }
    assertTrue(Files.notExists(dir), "nothing was opened in " + dir);
  }

  @Test
  void aLogThatCannotOpenDoesNotStopTheApplication() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");
    try (ChildJvm child = ChildJvm.start(JournaledApp.class, "nori.wal.orders.directory=" + file)) {
      assertEquals(0, child.waitForExit(), child.report());
      assertTrue(child.stdout().contains("DONE"), child.report());
      assertTrue(child.stdout().contains("ATTR orders State=FAILED"), child.report());
      assertTrue(
          child.stdout().stream().anyMatch(l -> l.startsWith("REFUSED transfer")), child.report());
    }
  }

  @Test
  void failFastStopsTheJvmOnABadOption() throws Exception {
    try (ChildJvm child = ChildJvm.start(JournaledApp.class, "failFast=true,bogus")) {
      assertTrue(child.waitForExit() != 0, child.report());
      assertTrue(!child.stdout().contains("DONE"), child.report());
    }
  }

  @Test
  void attachesToARunningJvm() throws Exception {
    Path dir = tmp.resolve("attached");
    try (ChildJvm child = ChildJvm.start(AttachApp.class, null)) {
      long pid = Long.parseLong(child.await(l -> l.startsWith("PID "), "its PID").substring(4));
      child.send("call");
      assertEquals("CALLED 1 -> 10", child.await(l -> l.startsWith("CALLED"), "CALLED 1"));

      VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
      try {
        vm.loadAgent(
            ChildJvm.agentJar().toString(),
            "nori.wal.attached.directory=" + dir + ",nori.wal.attached.fsync=always");
      } finally {
        vm.detach();
      }

      child.send("call");
      assertEquals("CALLED 2 -> 20", child.await(l -> l.startsWith("CALLED"), "CALLED 2"));
      child.send("mbeans");
      boolean sawLog = false;
      for (String l = child.await(x -> true, "MBEAN lines");
          !l.equals("END-MBEANS");
          l = child.await(x -> true, "END-MBEANS")) {
        sawLog |= l.equals("MBEAN dev.noriwal:type=Log,name=attached");
      }
      assertTrue(sawLog, child.report());
      child.send("exit");
      assertEquals(0, child.waitForExit(), child.report());
    }
    List<JournalEntry> entries = journal(dir);
    assertEquals(2, entries.size(), entries.toString());
    Invocation inv = assertInstanceOf(Invocation.class, entries.get(0));
    assertEquals("work(int)", inv.method());
    assertEquals("[2]", utf8(inv.arguments())); // the call before attaching was not journaled
    assertEquals("20", utf8(assertInstanceOf(Completion.class, entries.get(1)).result()));
  }

  @Test
  void crashInTheMiddleOfACallLeavesItUnfinished() throws Exception {
    Path dir = tmp.resolve("orders");
    try (ChildJvm child =
        ChildJvm.start(
            BlockingApp.class,
            "nori.wal.orders.directory=" + dir + ",nori.wal.orders.fsync=always")) {
      assertEquals("IN-CALL o-1", child.await(l -> l.startsWith("IN-CALL"), "IN-CALL"));
      child.kill();
    }
    List<Invocation> unfinished = Journal.unfinished(dir);
    assertEquals(1, unfinished.size(), unfinished.toString());
    assertEquals(BlockingApp.class.getName(), unfinished.get(0).beanClass());
    assertEquals("process(java.lang.String)", unfinished.get(0).method());
    assertEquals("[\"o-1\"]", utf8(unfinished.get(0).arguments()));
    // Read where the CDI layer reads: the JSON-B codec of the same id decodes the agent's bytes.
    try (JsonbInvocationCodec jsonb = JsonbInvocationCodec.json()) {
      assertArrayEquals(
          new Object[] {"o-1"},
          jsonb.decodeArguments(
              BlockingApp.class.getDeclaredMethod("process", String.class),
              unfinished.get(0).arguments()));
    }
    List<JournalEntry> all = journal(dir);
    assertEquals(3, all.size(), all.toString()); // transfer + its completion + the unfinished call
  }
}
