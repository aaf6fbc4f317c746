package dev.noriwal.demo;

import dev.noriwal.cdi.JournalRecovery;
import dev.noriwal.cdi.JournalReplay;
import dev.noriwal.cdi.PendingInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reconciles, at startup, the commands a previous run left unfinished (the {@link JournalRecovery}
 * event of the {@code commands} journal) against the ledger log, and keeps the report served at
 * {@code GET /api/recovery}.
 *
 * <p>A pending command whose ledger event is in the log took effect: only its completion record was
 * lost. One whose event is absent never took effect and was never acknowledged (the HTTP response
 * is sent after the event is durable), so there is nothing to undo: it is reported as "not applied"
 * and the client may retry it with the same id. Either way the call is then marked as dealt with
 * ({@link JournalReplay#abandon}), so it is reported once. A call whose arguments cannot be decoded
 * is left pending and reported again at the next start.
 *
 * <p>Thread-safe: the report is built once, during deployment, and immutable afterwards.
 */
@ApplicationScoped
public class StartupRecovery {
  private static final System.Logger LOG = System.getLogger(StartupRecovery.class.getName());

  /** What was done with one unfinished command. */
  public enum Outcome {
    /** The event is in the ledger: the command took effect before the crash. */
    APPLIED,
    /** No event in the ledger: the command never took effect and was never acknowledged. */
    NOT_APPLIED,
    /** The journaled arguments could not be decoded; left pending. */
    UNKNOWN
  }

  /** One unfinished command and what recovery did with it. */
  public record InFlight(
      String invocationId,
      String method,
      Instant startedAt,
      String arguments,
      String commandId,
      Outcome outcome,
      String detail) {}

  /** The startup report. */
  public record Report(
      Instant startedAt, LedgerStore.Replay ledger, List<InFlight> inFlight, boolean journalSeen) {}

  private final LedgerStore store;
  private final JournalReplay replay;
  private volatile Report report;

  @Inject
  StartupRecovery(LedgerStore store, JournalReplay replay) {
    this.store = store;
    this.replay = replay;
  }

  /** For the client proxy of this normal-scoped bean. */
  protected StartupRecovery() {
    this.store = null;
    this.replay = null;
  }

  void onJournalRecovery(@Observes JournalRecovery recovery) {
    if (!LedgerCommands.JOURNAL.equals(recovery.log())) {
      return;
    }
    List<InFlight> inFlight = new ArrayList<>();
    for (PendingInvocation p : recovery.pending()) {
      inFlight.add(reconcile(p));
    }
    publish(new Report(Instant.now(), store.replay(), List.copyOf(inFlight), true));
  }

  /** Builds the report even if no journal event came (it is fired once per journal log). */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    if (report == null) {
      publish(new Report(Instant.now(), store.replay(), List.of(), false));
    }
  }

  public Report report() {
    Report r = report;
    return r != null ? r : new Report(Instant.now(), store.replay(), List.of(), false);
  }

  private InFlight reconcile(PendingInvocation p) {
    Optional<String> commandId =
        p.arguments()
            .filter(a -> a.length == 1 && a[0] instanceof LedgerCommands.Command)
            .map(a -> ((LedgerCommands.Command) a[0]).commandId());
    if (commandId.isEmpty()) {
      String why = p.decodeProblem().orElse("the arguments are not a ledger command");
      return new InFlight(
          p.invocationId(),
          p.method(),
          p.timestamp(),
          p.rawArgumentsText(),
          null,
          Outcome.UNKNOWN,
          "left pending: " + why);
    }
    Optional<LedgerStore.Committed> event = store.find(commandId.get());
    Outcome outcome;
    String detail;
    if (event.isPresent()) {
      outcome = Outcome.APPLIED;
      detail =
          "applied: its "
              + event.get().event().type()
              + " event is in the ledger log at "
              + event.get().position()
              + "; only the completion record was lost";
    } else {
      outcome = Outcome.NOT_APPLIED;
      detail =
          "not applied: no ledger event with id "
              + commandId.get()
              + "; it was never acknowledged, nothing to undo (a retry with the same id is safe)";
    }
    replay.abandon(LedgerCommands.JOURNAL, p.invocationId(), detail);
    return new InFlight(
        p.invocationId(),
        p.method(),
        p.timestamp(),
        p.rawArgumentsText(),
        commandId.get(),
        outcome,
        detail);
  }

  private void publish(Report r) {
    report = r;
    LedgerStore.Replay l = r.ledger();
    LOG.log(
        Level.INFO,
        "ledger recovered: "
            + l.events()
            + " events from "
            + l.records()
            + " records in "
            + l.took().toMillis()
            + " ms (engine: "
            + l.engine().action()
            + ", "
            + l.engine().bytesTruncated()
            + " bytes truncated); "
            + r.inFlight().size()
            + " in-flight command(s)");
    for (InFlight f : r.inFlight()) {
      LOG.log(Level.INFO, "  " + f.method() + " " + f.arguments() + " -> " + f.detail());
    }
  }
}
