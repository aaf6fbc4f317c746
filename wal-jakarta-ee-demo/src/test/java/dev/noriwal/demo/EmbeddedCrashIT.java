package dev.noriwal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JsonbInvocationCodec;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The embedded demo in a child JVM, killed with {@code kill -9} in the middle of a stream of
 * transfers from several threads, then started again on the same data directory.
 */
class EmbeddedCrashIT {
  private static final List<String> ACCOUNTS = List.of("ann", "ben", "cat", "dan", "eve");
  private static final long OPENING = 100_000;
  private static final int THREADS = 4;
  private static final int ACKED_BEFORE_KILL = 150;

  /** A transfer the server acknowledged with a 2xx. */
  record Acked(String id, String from, String to, long amount) {}

  @Test
  void everyAcknowledgedTransferSurvivesKillDashNineAndNoMoneyIsCreatedOrLost() throws Exception {
    Path data = DemoProcess.newDataDir("crash");
    Map<String, Acked> acked = new ConcurrentHashMap<>();
    AtomicInteger refused = new AtomicInteger();

    try (DemoProcess demo = DemoProcess.start(data)) {
      Api api = demo.api();
      for (String a : ACCOUNTS) {
        Api.Reply r =
            api.post("api/accounts", "{\"id\":\"" + a + "\",\"initialBalance\":" + OPENING + "}");
        assertEquals(201, r.status(), r.body());
      }

      CountDownLatch enough = new CountDownLatch(ACKED_BEFORE_KILL);
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Thread s =
            new Thread(
                () -> {
                  ThreadLocalRandom rnd = ThreadLocalRandom.current();
                  for (int i = 0; ; i++) {
                    String from = ACCOUNTS.get(rnd.nextInt(ACCOUNTS.size()));
                    String to = ACCOUNTS.get(rnd.nextInt(ACCOUNTS.size()));
                    if (from.equals(to)) {
                      continue;
                    }
                    long amount = 1L + rnd.nextInt(30_000);
                    String id = "t" + thread + "-" + i;
                    Api.Reply r;
                    try {
                      r =
                          api.post(
                              "api/transfers",
                              "{\"from\":\""
                                  + from
                                  + "\",\"to\":\""
                                  + to
                                  + "\",\"amount\":"
                                  + amount
                                  + ",\"requestId\":\""
                                  + id
                                  + "\"}");
                    } catch (IOException e) {
                      return; // the server is gone: this request's outcome is unknown
                    } catch (InterruptedException e) {
                      return;
                    }
                    if (r.ok()) {
                      acked.put(id, new Acked(id, from, to, amount));
                      enough.countDown();
                    } else if (r.status() == 422) {
                      refused.incrementAndGet(); // insufficient funds: nothing was written
                    } else {
                      throw new AssertionError("unexpected " + r.status() + " " + r.body());
                    }
                  }
                },
                "sender-" + t);
        s.setDaemon(true);
        s.start();
        senders.add(s);
      }
      assertTrue(enough.await(5, TimeUnit.MINUTES), "transfers were not acknowledged");
      demo.kill();
      for (Thread s : senders) {
        s.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(s.isAlive(), s.getName() + " did not stop after the kill");
      }
    }
    assertTrue(acked.size() >= ACKED_BEFORE_KILL);

    try (DemoProcess demo = DemoProcess.start(data)) {
      Api api = demo.api();
      Map<String, Long> balances = balances(api);
      assertEquals(ACCOUNTS, List.copyOf(balances.keySet()));
      assertEquals(OPENING * ACCOUNTS.size(), sum(balances), "money created or lost: " + balances);
      balances.forEach((a, b) -> assertTrue(b >= 0, a + " is overdrawn: " + b));

      // Every acknowledged transfer is in the log, exactly as acknowledged.
      Map<String, JsonObject> transfers = transfersInLog(api);
      for (Acked a : acked.values()) {
        JsonObject t = transfers.get(a.id());
        assertTrue(t != null, "acknowledged transfer " + a + " is missing after the crash");
        assertEquals(a.from(), t.getString("from"));
        assertEquals(a.to(), t.getString("to"));
        assertEquals(a.amount(), t.getJsonNumber("amount").longValueExact());
      }
      Acked one = acked.values().iterator().next();
      assertEquals(
          one.amount(),
          api.json("api/transfers/" + one.id()).getJsonNumber("amount").longValueExact());

      // The balances are exactly the log replayed: opening balances plus the logged transfers.
      assertEquals(replay(transfers.values()), balances);

      // The recovery report is exposed and agrees with the log.
      JsonObject recovery = api.json("api/recovery");
      JsonObject ledger = recovery.getJsonObject("ledger");
      assertEquals(
          ACCOUNTS.size() + transfers.size(), ledger.getJsonNumber("events").longValueExact());
      assertEquals(
          ledger.getJsonNumber("records").longValueExact(),
          ledger.getJsonNumber("events").longValueExact());
      assertTrue(recovery.getBoolean("journalRecoveryEvent"));
      for (JsonValue v : recovery.getJsonArray("inFlight")) {
        JsonObject f = v.asJsonObject();
        String id = f.getString("commandId");
        switch (f.getString("outcome")) {
          case "APPLIED" -> assertTrue(transfers.containsKey(id), f.toString());
          case "NOT_APPLIED" -> {
            assertFalse(transfers.containsKey(id), f.toString());
            assertFalse(
                acked.containsKey(id), "an acknowledged transfer reported not applied: " + f);
          }
          default -> throw new AssertionError("unexpected outcome: " + f);
        }
      }
      assertTrue(demo.output().contains("in-flight command(s)"), demo.output());

      // The recovered log takes new appends.
      Api.Reply after = api.post("api/transfers", "{\"from\":\"ann\",\"to\":\"ben\",\"amount\":1}");
      assertTrue(after.ok() || after.status() == 422, after.body());
    }

    // After a clean stop, the in-flight commands were dealt with and are not reported again.
    try (DemoProcess demo = DemoProcess.start(data)) {
      JsonObject recovery = demo.api().json("api/recovery");
      assertEquals(0, recovery.getJsonArray("inFlight").size(), recovery.toString());
      assertEquals(OPENING * ACCOUNTS.size(), sum(balances(demo.api())));
    }
  }

  /**
   * A crash between the journal's invocation record and the ledger event, and one between the
   * ledger event and the completion record, prepared on disk exactly, then a start.
   */
  @Test
  void unfinishedCommandsAreReportedAppliedOrNotAppliedAndOnlyOnce() throws Exception {
    Path data = DemoProcess.newDataDir("inflight");
    Instant now = Instant.now();
    try (Wal ledger = Wal.open(WalConfig.builder(data.resolve("ledger")).build());
        Wal commands = Wal.open(WalConfig.builder(data.resolve("commands")).build());
        JsonbInvocationCodec json = JsonbInvocationCodec.json()) {
      for (LedgerEvent e :
          List.of(
              new LedgerEvent.AccountOpened("open-a", now, "a", 1_000),
              new LedgerEvent.AccountOpened("open-b", now, "b", 0),
              new LedgerEvent.Transferred("applied-1", now, "a", "b", 100))) {
        ledger.append(WalRecord.put(e.key(), e.value()));
      }
      var transfer = LedgerCommands.class.getMethod("transfer", LedgerCommands.Transfer.class);
      Journal.begin(
          commands,
          json,
          LedgerCommands.class,
          transfer,
          new Object[] {new LedgerCommands.Transfer("applied-1", "a", "b", 100)});
      Journal.begin(
          commands,
          json,
          LedgerCommands.class,
          transfer,
          new Object[] {new LedgerCommands.Transfer("lost-1", "a", "b", 250)});
    }

    try (DemoProcess demo = DemoProcess.start(data)) {
      Api api = demo.api();
      assertEquals(Map.of("a", 900L, "b", 100L), balances(api));
      Map<String, JsonObject> byCommand =
          api.json("api/recovery").getJsonArray("inFlight").stream()
              .map(JsonValue::asJsonObject)
              .collect(Collectors.toMap(o -> o.getString("commandId"), o -> o));
      assertEquals(Set.of("applied-1", "lost-1"), byCommand.keySet());
      assertEquals("APPLIED", byCommand.get("applied-1").getString("outcome"));
      assertEquals("NOT_APPLIED", byCommand.get("lost-1").getString("outcome"));
      assertTrue(byCommand.get("lost-1").getString("detail").startsWith("not applied"));
      assertEquals(
          "transfer(dev.noriwal.demo.LedgerCommands$Transfer)",
          byCommand.get("lost-1").getString("method"));
      assertEquals(404, api.get("api/transfers/lost-1").status());
    }
    try (DemoProcess demo = DemoProcess.start(data)) {
      assertEquals(0, demo.api().json("api/recovery").getJsonArray("inFlight").size());
    }
  }

  private static Map<String, Long> balances(Api api) throws IOException, InterruptedException {
    Map<String, Long> out = new LinkedHashMap<>();
    for (JsonValue v : api.json("api/accounts").getJsonArray("accounts")) {
      JsonObject a = v.asJsonObject();
      out.put(a.getString("id"), a.getJsonNumber("balance").longValueExact());
    }
    return out;
  }

  private static long sum(Map<String, Long> balances) {
    return balances.values().stream().mapToLong(Long::longValue).sum();
  }

  private static Map<String, JsonObject> transfersInLog(Api api)
      throws IOException, InterruptedException {
    Map<String, JsonObject> out = new HashMap<>();
    for (JsonValue v : api.json("api/journal?limit=10000").getJsonArray("entries")) {
      JsonObject e = v.asJsonObject();
      if (e.getString("type").equals("transfer")) {
        out.put(e.getString("id"), e);
      }
    }
    return out;
  }

  private static Map<String, Long> replay(Iterable<JsonObject> transfers) {
    Map<String, Long> b = new LinkedHashMap<>();
    ACCOUNTS.forEach(a -> b.put(a, OPENING));
    for (JsonObject t : transfers) {
      long amount = t.getJsonNumber("amount").longValueExact();
      b.merge(t.getString("from"), -amount, Long::sum);
      b.merge(t.getString("to"), amount, Long::sum);
    }
    return b;
  }
}
