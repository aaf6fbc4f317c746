package dev.noriwal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LedgerTest {
  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
  private final Ledger ledger = new Ledger();

  @BeforeEach
  void twoAccounts() {
    commit(new LedgerEvent.AccountOpened("o1", T, "alice", 1_000));
    commit(new LedgerEvent.AccountOpened("o2", T, "bob", 0));
  }

  private void commit(LedgerEvent e) {
    ledger.check(e);
    ledger.apply(e);
  }

  private LedgerException refused(LedgerEvent e) {
    Map<String, Long> before = ledger.balances();
    LedgerException x = assertThrows(LedgerException.class, () -> ledger.check(e));
    assertEquals(before, ledger.balances(), "a refused event changed the state");
    return x;
  }

  @Test
  void transferMovesMoneyAndKeepsTheTotal() {
    commit(new LedgerEvent.Transferred("t1", T, "alice", "bob", 400));
    assertEquals(Map.of("alice", 600L, "bob", 400L), ledger.balances());
    assertEquals(1_000, ledger.total());
    assertEquals(3, ledger.events());
  }

  @Test
  void depositsAndWithdrawalsChangeTheTotal() {
    commit(new LedgerEvent.Deposited("d1", T, "bob", 250));
    commit(new LedgerEvent.Withdrawn("w1", T, "alice", 1_000));
    assertEquals(Map.of("alice", 0L, "bob", 250L), ledger.balances());
    assertEquals(250, ledger.total());
  }

  @Test
  void overdraftIsRefusedWith422() {
    LedgerException x = refused(new LedgerEvent.Transferred("t", T, "alice", "bob", 1_001));
    assertEquals(422, x.status());
    assertEquals("insufficient_funds", x.code());
    assertEquals(422, refused(new LedgerEvent.Withdrawn("w", T, "bob", 1)).status());
  }

  @Test
  void unknownAccountsAreRefusedWith404() {
    assertEquals(
        "unknown_account", refused(new LedgerEvent.Transferred("t", T, "alice", "zoe", 1)).code());
    assertEquals(404, refused(new LedgerEvent.Transferred("t", T, "zoe", "alice", 1)).status());
    assertEquals(404, refused(new LedgerEvent.Deposited("d", T, "zoe", 1)).status());
  }

  @Test
  void nonPositiveAndHugeAmountsAreRefusedWith400() {
    assertEquals(
        "invalid_amount", refused(new LedgerEvent.Transferred("t", T, "alice", "bob", 0)).code());
    assertEquals(400, refused(new LedgerEvent.Transferred("t", T, "alice", "bob", -5)).status());
    assertEquals(
        400, refused(new LedgerEvent.Deposited("d", T, "bob", Ledger.MAX_AMOUNT + 1)).status());
    assertEquals(400, refused(new LedgerEvent.AccountOpened("o", T, "carol", -1)).status());
  }

  @Test
  void transferToItselfIsRefused() {
    assertEquals(
        "same_account", refused(new LedgerEvent.Transferred("t", T, "bob", "bob", 1)).code());
  }

  @Test
  void accountsAreUniqueAndWellNamed() {
    assertEquals(409, refused(new LedgerEvent.AccountOpened("o", T, "alice", 0)).status());
    assertEquals(
        "invalid_account_id", refused(new LedgerEvent.AccountOpened("o", T, "a b", 0)).code());
    assertEquals(400, refused(new LedgerEvent.AccountOpened("o", T, "", 0)).status());
    assertEquals(400, refused(new LedgerEvent.AccountOpened("o", T, "x".repeat(41), 0)).status());
  }

  @Test
  void replayingTheSameEventsGivesTheSameState() {
    LedgerEvent t = new LedgerEvent.Transferred("t1", T, "alice", "bob", 300);
    commit(t);
    Ledger replayed = new Ledger();
    for (LedgerEvent e :
        new LedgerEvent[] {
          new LedgerEvent.AccountOpened("o1", T, "alice", 1_000),
          new LedgerEvent.AccountOpened("o2", T, "bob", 0),
          t
        }) {
      replayed.apply(LedgerEvent.fromValue(e.value()));
    }
    assertEquals(ledger.balances(), replayed.balances());
    assertEquals(ledger.total(), replayed.total());
  }
}
