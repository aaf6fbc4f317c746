package dev.noriwal.agent;

import dev.noriwal.Wal;
import dev.noriwal.agent.hooks.JournalHooks;
import dev.noriwal.jmx.WalService;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JournalCodecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * The agent's side of {@link JournalHooks}: what a journaled call writes, into which log.
 *
 * <p>Policy: the invocation record is written before the method body runs and {@link #enter}
 * returns only after {@link Wal#append} returned. If it cannot be written (log not open, append
 * failed, argument not encodable) the call is refused with an unchecked exception, so a journaled
 * method never runs unjournaled; the refusal is counted. A completion or failure record that cannot
 * be written is counted and reported, and the call's own outcome is kept; a result the codec cannot
 * encode is journaled as a completion without result.
 *
 * <p>Thread-safe.
 */
final class MethodJournal implements JournalHooks.Journal {
  private static final AgentRuntime RUNTIME = AgentRuntime.INSTANCE;

  static final MethodJournal INSTANCE = new MethodJournal();

  private MethodJournal() {}

  /** Writes the invocation record; returns its id. Throws (refusing the call) if it cannot. */
  @Override
  public String enter(String log, Method method, Object[] args) {
    try {
      RUNTIME.ensureStarted();
      Wal wal = WalService.get().find(log).orElse(null);
      if (wal == null) {
        throw new IllegalStateException(
            "nori-wal agent: log '"
                + log
                + "' is not open ("
                + stateOf(log)
                + "); refusing "
                + method.getDeclaringClass().getName()
                + "."
                + Journal.signature(method)
                + " so it does not run unjournaled");
      }
      String id =
          Journal.begin(
              wal, GsonInvocationCodec.INSTANCE, method.getDeclaringClass(), method, args);
      RUNTIME.journaled.incrementAndGet();
      return id;
    } catch (IOException e) {
      RUNTIME.refused.incrementAndGet();
      throw new UncheckedIOException(
          "nori-wal agent: cannot journal "
              + Journal.signature(method)
              + " into log '"
              + log
              + "': "
              + e.getMessage(),
          e);
    } catch (JournalCodecException | IllegalStateException e) {
      RUNTIME.refused.incrementAndGet();
      throw e;
    }
  }

  /** Writes the completion or failure record of call {@code id}; never throws. */
  @Override
  public void exit(
      String id, String log, Method method, @Nullable Object result, @Nullable Throwable thrown) {
    try {
      Wal wal =
          WalService.get()
              .find(log)
              .orElseThrow(() -> new IllegalStateException("log is no longer open"));
      if (thrown != null) {
        Journal.fail(wal, id, thrown);
      } else {
        try {
          Journal.complete(wal, GsonInvocationCodec.INSTANCE, id, method, result);
        } catch (JournalCodecException e) { // a result the codec cannot encode: the call ran
          Journal.completeWithoutResult(wal, id);
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      RUNTIME.outcomeFailures.incrementAndGet();
      AgentLog.warn(
          "cannot journal the outcome of call "
              + id
              + " to "
              + Journal.signature(method)
              + ": "
              + e);
    }
  }

  private static String stateOf(String log) {
    try {
      return WalService.get().state(log)
          + WalService.get().failureOf(log).map(t -> ": " + t).orElse("");
    } catch (IllegalArgumentException e) {
      return "not configured: add nori.wal." + log + ".directory=... to the agent options";
    }
  }
}
