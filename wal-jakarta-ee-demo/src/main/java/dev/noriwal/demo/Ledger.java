package dev.noriwal.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ledger's state (balances in cents) and its rules. {@link #check} says whether an event may be
 * appended; {@link #apply} folds an event that is in the log into the state. Replay applies the log
 * in order, so the state is always a function of the log.
 *
 * <p>Not thread-safe: {@link LedgerStore} confines it under its lock.
 */
public final class Ledger {

  /** Largest amount or balance accepted (10^15 cents), far from overflow. */
  public static final long MAX_AMOUNT = 1_000_000_000_000_000L;

  private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_-]{1,40}");

  private final Map<String, Long> balances = new LinkedHashMap<>();
  private long total;
  private long events;

  /**
   * Throws if {@code event} breaks a rule against the current state; changes nothing.
   *
   * @throws LedgerException with status 400 (bad value), 404 (unknown account), 409 (account
   *     exists) or 422 (insufficient funds)
   */
  public void check(LedgerEvent event) {
    if (event instanceof LedgerEvent.AccountOpened e) {
      requireAccountId(e.account());
      if (e.initialBalance() < 0 || e.initialBalance() > MAX_AMOUNT) {
        throw LedgerException.badRequest(
            "invalid_amount",
            "initialBalance must be between 0 and " + MAX_AMOUNT + " cents: " + e.initialBalance());
      }
      if (balances.containsKey(e.account())) {
        throw new LedgerException(
            409, "account_exists", "account \"" + e.account() + "\" already exists");
      }
    } else if (event instanceof LedgerEvent.Deposited e) {
      requireAmount(e.amount());
      long balance = balanceOf(e.account());
      if (balance + e.amount() > MAX_AMOUNT) {
        throw new LedgerException(
            422, "balance_limit", "account \"" + e.account() + "\" would exceed " + MAX_AMOUNT);
      }
    } else if (event instanceof LedgerEvent.Withdrawn e) {
      requireAmount(e.amount());
      requireFunds(e.account(), e.amount());
    } else if (event instanceof LedgerEvent.Transferred e) {
      requireAmount(e.amount());
      if (e.from().equals(e.to())) {
        throw LedgerException.badRequest(
            "same_account", "from and to must differ: \"" + e.from() + "\"");
      }
      balanceOf(e.to());
      requireFunds(e.from(), e.amount());
      if (balances.get(e.to()) + e.amount() > MAX_AMOUNT) {
        throw new LedgerException(
            422, "balance_limit", "account \"" + e.to() + "\" would exceed " + MAX_AMOUNT);
      }
    }
  }

  /** Folds an event from the log into the state, without checking the rules again. */
  public void apply(LedgerEvent event) {
    if (event instanceof LedgerEvent.AccountOpened e) {
      balances.put(e.account(), e.initialBalance());
      total += e.initialBalance();
    } else if (event instanceof LedgerEvent.Deposited e) {
      balances.merge(e.account(), e.amount(), Long::sum);
      total += e.amount();
    } else if (event instanceof LedgerEvent.Withdrawn e) {
      balances.merge(e.account(), -e.amount(), Long::sum);
      total -= e.amount();
    } else if (event instanceof LedgerEvent.Transferred e) {
      balances.merge(e.from(), -e.amount(), Long::sum);
      balances.merge(e.to(), e.amount(), Long::sum);
    }
    events++;
  }

  /**
   * The balance of {@code account}, in cents.
   *
   * @throws LedgerException 404 if there is no such account
   */
  public long balanceOf(String account) {
    Long b = balances.get(account);
    if (b == null) {
      throw LedgerException.unknownAccount(account);
    }
    return b;
  }

  public boolean hasAccount(String account) {
    return balances.containsKey(account);
  }

  /** Accounts in the order they were opened, with their balances (a copy). */
  public Map<String, Long> balances() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(balances));
  }

  /** Sum of all balances: opening balances plus deposits minus withdrawals. */
  public long total() {
    return total;
  }

  /** Events applied so far. */
  public long events() {
    return events;
  }

  /**
   * Checks an account id.
   *
   * @throws LedgerException 400 if {@code id} is not 1 to 40 letters, digits, {@code _} or {@code
   *     -}
   */
  public static void requireAccountId(String id) {
    if (!ACCOUNT.matcher(id).matches()) {
      throw LedgerException.badRequest(
          "invalid_account_id",
          "account id must be 1 to 40 letters, digits, '_' or '-': \"" + id + "\"");
    }
  }

  private static void requireAmount(long amount) {
    if (amount <= 0 || amount > MAX_AMOUNT) {
      throw LedgerException.badRequest(
          "invalid_amount", "amount must be between 1 and " + MAX_AMOUNT + " cents: " + amount);
    }
  }

  private void requireFunds(String account, long amount) {
    long balance = balanceOf(account);
    if (balance < amount) {
      throw new LedgerException(
          422,
          "insufficient_funds",
          "account \"" + account + "\" has " + balance + " cents, cannot pay " + amount);
    }
  }
}
