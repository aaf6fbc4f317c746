package dev.noriwal.demo;

import dev.noriwal.cdi.Journaled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * The ledger's commands. Each call is journaled write-ahead in the {@code commands} log: the
 * invocation (with its command record) is on disk before the body runs, and a completion or failure
 * record follows. A crash between the two leaves the call pending; {@link StartupRecovery} then
 * looks for the command's event in the ledger to tell whether it took effect.
 *
 * <p>Thread-safe (stateless; {@link LedgerStore} serializes the commits).
 */
@ApplicationScoped
@Journaled(LedgerCommands.JOURNAL)
public class LedgerCommands {

  /** The journal log of these commands. */
  public static final String JOURNAL = "commands";

  /** A command: its id becomes the id of the ledger event it produces. */
  public sealed interface Command permits OpenAccount, Deposit, Withdrawal, Transfer {
    String commandId();
  }

  public record OpenAccount(String commandId, String account, long initialBalance)
      implements Command {}

  public record Deposit(String commandId, String account, long amount) implements Command {}

  public record Withdrawal(String commandId, String account, long amount) implements Command {}

  public record Transfer(String commandId, String from, String to, long amount)
      implements Command {}

  /** What a command did: its event id and where the event sits in the ledger log. */
  public record Receipt(String eventId, String position) {}

  private final LedgerStore store;

  @Inject
  LedgerCommands(LedgerStore store) {
    this.store = store;
  }

  /** For the client proxy of this normal-scoped bean. */
  protected LedgerCommands() {
    this.store = null;
  }

  public Receipt openAccount(OpenAccount c) {
    return commit(
        new LedgerEvent.AccountOpened(
            c.commandId(), Instant.now(), c.account(), c.initialBalance()));
  }

  public Receipt deposit(Deposit c) {
    return commit(new LedgerEvent.Deposited(c.commandId(), Instant.now(), c.account(), c.amount()));
  }

  public Receipt withdraw(Withdrawal c) {
    return commit(new LedgerEvent.Withdrawn(c.commandId(), Instant.now(), c.account(), c.amount()));
  }

  public Receipt transfer(Transfer c) {
    return commit(
        new LedgerEvent.Transferred(c.commandId(), Instant.now(), c.from(), c.to(), c.amount()));
  }

  private Receipt commit(LedgerEvent event) {
    LedgerStore.Committed c = store.commit(event);
    return new Receipt(c.event().id(), c.position().toString());
  }
}
