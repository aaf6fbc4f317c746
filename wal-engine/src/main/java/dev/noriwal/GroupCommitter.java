package dev.noriwal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Commits rounds: takes every staged item in one round (group commit), has the {@link
 * SegmentWriter} write them and, when the {@link CommitRule} or a caller asks, force them once for
 * the whole round; then publishes the new end to readers and completes the callers the round
 * covered, in position order. A failed write or force fences the log: the failure is final, every
 * waiting caller fails with it, and nothing more is written.
 *
 * <p>Rounds run on the writer thread, or, under a rule whose appenders lead, on an appender that
 * found no commit in flight ({@link #lead}; see {@link Staging}). One thread at a time holds the
 * commit, handed over under the staging lock, and only it touches {@link #done} and the {@link
 * SegmentWriter}. {@link #start}, {@link #thread} and {@link #failAll} (also called by the log's
 * shutdown, which runs as the writer thread leaves) run on other threads. The staging lock is taken
 * only inside {@link Staging}'s methods; I/O runs without it. The writer thread ignores interrupts
 * (the channels do too, see {@link UninterruptibleChannel}), and no caller's callback runs on a
 * committing thread: futures handed out by {@code appendAsync} complete on the log's serial
 * completion executor.
 */
final class GroupCommitter {
  private final Path dir;
  private final Staging staging;
  private final SegmentWriter segment;
  private final ReaderVisibility visibility;
  private final CommitRule rule;
  private final WalEvents events;
  private final Completions.Serial completions;
  private final Runnable onExit;
  private final Thread thread;

  /** Callers the current round covered; owned by the commit holder. */
  private final List<Waiter> done = new ArrayList<>();

  /** {@code onExit} runs last on the writer thread, however the loop ended. */
  GroupCommitter(
      Path dir,
      Staging staging,
      SegmentWriter segment,
      ReaderVisibility visibility,
      CommitRule rule,
      WalEvents events,
      Completions.Serial completions,
      Runnable onExit) {
    this.dir = dir;
    this.staging = staging;
    this.segment = segment;
    this.visibility = visibility;
    this.rule = rule;
    this.events = events;
    this.completions = completions;
    this.onExit = onExit;
    this.thread = new Thread(this::run, "nori-wal-writer " + dir.getFileName());
    thread.setDaemon(true);
  }

  Thread thread() {
    return thread;
  }

  void start() {
    staging.committerIs(thread, this::lead);
    thread.start();
  }

  private void run() {
    try {
      loop();
    } finally {
      onExit.run();
    }
  }

  private void loop() {
    for (Round round; (round = staging.awaitRound()) != null; ) {
      boolean ok = commit(round);
      boolean finished = staging.finishRound(round, ok, done);
      if (finished) {
        finishClose(); // no appender can stage any more: the log is closing
      }
      publishVisible();
      complete(); // outside the staging lock: completions may run callers' callbacks
      staging.endCommit();
      if (finished) {
        return;
      }
    }
  }

  /**
   * Commits the round an appender took for itself, on the appender's thread (see {@link Staging});
   * the appender's own bytes are in it. Returns once they are forced; throws the log's failure if
   * the round failed. A close that began meanwhile is left to the writer thread.
   */
  private void lead(Round round) throws IOException {
    boolean ok = false;
    try {
      ok = commit(round);
      staging.finishRound(round, ok, done);
      publishVisible();
      complete();
    } finally {
      staging.endCommit();
    }
    if (!ok) {
      throw staging.life().failed();
    }
  }

  /** Writes the round and forces if it asks; on failure fences the log. Returns success. */
  private boolean commit(Round round) {
    try {
      segment.commit(round.items, round.target, round.targetPos, round.force, round.closing);
      return true;
    } catch (IOException | RuntimeException | Error e) {
      fence(e);
      return false;
    }
  }

  /** Stops the log after a failed write or force. */
  private void fence(Throwable cause) {
    List<Waiter> toFail = new ArrayList<>();
    boolean first = staging.fail(cause, toFail);
    failAll(toFail, staging.life().failed());
    if (first) {
      events.emit(new WalEvent.LogFailed(dir, cause));
    }
  }

  /** The final force and trim of a clean close; a failure leaves the log FAILED. */
  private void finishClose() {
    try {
      segment.closeClean();
    } catch (IOException | RuntimeException e) {
      staging.failWhileClosing(e);
      events.emit(new WalEvent.LogFailed(dir, e));
    }
  }

  /** Moves the readers' end to what the rule lets them see: forced bytes, or written ones. */
  void publishVisible() {
    visibility.publish(rule.readersSeeWritten() ? segment.writtenPos() : segment.durablePos());
  }

  /**
   * Completes waiters in order. Futures handed to callers ({@code appendAsync}) complete on the
   * serial completion executor, so no caller's callback ever runs on a committing thread; the
   * internal futures of synchronous calls complete here (nothing but their waiting caller depends
   * on them).
   */
  private void complete() {
    List<Waiter> async = null;
    for (int i = 0; i < done.size(); i++) { // no iterator per round
      Waiter w = done.get(i);
      if (w.async) {
        if (async == null) {
          async = new ArrayList<>();
        }
        async.add(w);
      } else {
        w.future.complete(w.result);
      }
    }
    done.clear();
    if (async != null) {
      List<Waiter> later = async;
      completions.execute(
          () -> {
            for (Waiter w : later) {
              w.future.complete(w.result);
            }
          });
    }
  }

  /** Fails waiters with {@code e}, callers' futures on the completion executor. */
  void failAll(List<Waiter> waiters, Throwable e) {
    List<Waiter> async = new ArrayList<>();
    for (Waiter w : waiters) {
      if (w.async) {
        async.add(w);
      } else {
        w.future.completeExceptionally(e);
      }
    }
    if (!async.isEmpty()) {
      completions.execute(
          () -> {
            for (Waiter w : async) {
              w.future.completeExceptionally(e);
            }
          });
    }
  }
}
