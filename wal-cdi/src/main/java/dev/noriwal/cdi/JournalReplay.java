package dev.noriwal.cdi;

import dev.noriwal.Position;
import dev.noriwal.SegmentInfo;
import dev.noriwal.Wal;
import dev.noriwal.WalEntry;
import dev.noriwal.WalReader;
import dev.noriwal.WalState;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JournalEntry;
import dev.noriwal.journal.JournalFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Reads journals back, for applications that rebuild state from them or reconcile what a crash left
 * pending. Inject it: {@code @Inject JournalReplay replay;}. Methods take a log name (any log of
 * this deployment or opened through {@link Durable @Durable}) and wrap {@link IOException} in
 * {@link UncheckedIOException}. Thread-safe.
 */
@ApplicationScoped
public class JournalReplay {

  /**
   * The exception type recorded by {@link #abandon}: a failure record whose exception type is this
   * class's binary name was written by the application after recovery, not thrown by the method.
   */
  public static final class Abandoned extends Exception {
    private static final long serialVersionUID = 1L;

    Abandoned(String reason) {
      super(reason, null, false, false);
    }
  }

  private final WalDeployment deployment;

  @Inject
  JournalReplay(WalDeployment deployment) {
    this.deployment = deployment;
  }

  /** For the client proxy of this normal-scoped bean, which forwards every call. */
  @SuppressWarnings("NullAway") // the proxy's own instance is never called
  protected JournalReplay() {
    this.deployment = null;
  }

  /**
   * Hands every journal entry from {@code from} on (an invocation, completion or failure, in log
   * order) to {@code handler} with its position; records that are not journal records are skipped.
   * A position before the oldest segment starts at the oldest segment.
   *
   * @return the position after the last record read: pass it as {@code from} to continue later
   */
  public Position replay(String log, Position from, BiConsumer<Position, JournalEntry> handler) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(handler, "handler");
    Wal wal = deployment.wal(log);
    try {
      if (wal.state() == WalState.OPEN) {
        wal.sync(); // readers stop at the durable position
      }
      List<SegmentInfo> segments = wal.segments();
      Position start = from;
      if (!segments.isEmpty()) {
        Position oldest = new Position(segments.get(0).id(), 0);
        if (start.compareTo(oldest) < 0) {
          start = oldest;
        }
      }
      try (WalReader reader = wal.readFrom(start)) {
        for (WalEntry e = reader.next(); e != null; e = reader.next()) {
          if (JournalFormat.isJournalRecord(e.record())) {
            handler.accept(e.position(), JournalFormat.fromEntry(e));
          }
        }
        return reader.position();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("replaying log \"" + log + "\" from " + from, e);
    }
  }

  /** The calls journaled in {@code log} that have no completion or failure yet, oldest first. */
  public List<PendingInvocation> unfinished(String log) {
    try {
      return deployment.unfinished(log);
    } catch (IOException e) {
      throw new UncheckedIOException("reading journal \"" + log + "\"", e);
    }
  }

  /**
   * Records that a pending call has been dealt with (redone, compensated or dropped), so it is not
   * reported again: appends a failure record of type {@link Abandoned} with {@code reason} as its
   * message.
   *
   * @throws UncheckedIOException if the record cannot be appended
   */
  public void abandon(String log, String invocationId, String reason) {
    Objects.requireNonNull(invocationId, "invocationId");
    try {
      Journal.fail(deployment.wal(log), invocationId, new Abandoned(reason));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "abandoning " + invocationId + " in journal \"" + log + "\"", e);
    }
  }
}
