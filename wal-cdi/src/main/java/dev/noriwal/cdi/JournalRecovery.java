package dev.noriwal.cdi;

import java.util.List;
import java.util.Objects;

/**
 * Fired once per journal log (every log named by a {@link Journaled @Journaled} method) at
 * deployment validation, before the application takes traffic, with the calls a previous run left
 * unfinished, oldest first. The list is empty after a clean run.
 *
 * <pre>{@code
 * void onRecovery(@Observes JournalRecovery recovery) {
 *   for (PendingInvocation p : recovery.pending()) {
 *     ... redo or compensate, then replay.abandon(recovery.log(), p.invocationId(), "redone");
 *   }
 * }
 * }</pre>
 *
 * <p>An observer that throws fails the deployment (the application would start on state it did not
 * reconcile). Until a pending call is marked with {@link JournalReplay#abandon}, it is reported
 * again at every start.
 *
 * @param log the log name
 * @param pending the unfinished calls, in log order
 */
public record JournalRecovery(String log, List<PendingInvocation> pending) {
  public JournalRecovery {
    Objects.requireNonNull(log, "log");
    pending = List.copyOf(pending);
  }
}
