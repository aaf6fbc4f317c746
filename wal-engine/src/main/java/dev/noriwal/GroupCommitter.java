package dev.noriwal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Commits rounds: takes every staged item in one round (group commit), has the {@link
 * SegmentWriter} write them and, when the {@link CommitRule} or a caller asks, force them once for
 * the whole round; then publishes the new end to readers and completes the callers the round
 * covered, in position order. A failed write or force fences the log: the failure is final, every
 * waiting caller fails with it, and nothing more is written.
 *
 * <p><b>The writer task.</b> A log has no thread of its own: this object is its writer task, run on
 * the JVM-wide {@link Writers} pool when woken ({@link #wake}: by an append, a request, a close,
 * the end of a leader's commit, or the timer). A run takes rounds while one is due ({@link
 * Staging#pollRound}), then asks the timer for a wake-up when the next one will be due (a batch
 * window, the linger, the idle release of the staging chunks) and goes idle; after {@link
 * #ROUNDS_PER_TURN} rounds in a row it queues itself again, so that a busy log lets the logs queued
 * behind it run. An atomic state (idle, queued, running, running and woken again, done) makes a
 * wake-up during a run loop once more rather than queue the task twice: a log's rounds never run on
 * two threads at once, and each run starts after the last one ended (the state's hand-off orders
 * them, so the task's fields need no lock). The last run (clean close, failure and close, simulated
 * crash) runs the log's shutdown ({@code onExit}).
 *
 * <p>Rounds run on the writer task, or, under a rule whose appenders lead, on an appender that
 * found no commit in flight ({@link #lead}; see {@link Staging}). One thread at a time holds the
 * commit, handed over under the staging lock, and only it touches {@link #done} and the {@link
 * SegmentWriter}. {@link #start}, {@link #wake} and {@link #failAll} (also called by the log's
 * shutdown) run on other threads. The staging lock is taken only inside {@link Staging}'s methods;
 * I/O runs without it. Interrupts of a pool thread are ignored (the channels ignore them, see
 * {@link UninterruptibleChannel}, and the pool clears them between tasks). No caller's callback
 * runs on a committing thread: futures handed out by {@code appendAsync} complete on the log's
 * serial completion executor. Listeners do run there (a pool thread, or the leading appender): one
 * that blocks holds one of the shared writer threads.
 */
final class GroupCommitter implements Runnable {
  /** Rounds one run takes before it queues itself behind the other logs' tasks. */
  static final int ROUNDS_PER_TURN = 16;

  private static final int IDLE = 0;
  private static final int QUEUED = 1;
  private static final int RUNNING = 2;
  private static final int AGAIN = 3;
  private static final int DONE = 4;

  /** How a run's turn ended. */
  private enum Turn {
    IDLE,
    MORE,
    DONE
  }

  private final Staging staging;
  private final SegmentWriter segment;
  private final ReaderVisibility visibility;
  private final CommitRule rule;
  private final WalEvents events;
  private final Completions.Serial completions;
  private final Runnable onExit;
  private final Path dir;

  /** IDLE, QUEUED, RUNNING, AGAIN (woken while running) or DONE. */
  private final AtomicInteger state = new AtomicInteger(IDLE);

  /** Callers the current round covered; owned by the commit holder. */
  private final List<Waiter> done = new ArrayList<>();

  /** The pending timed wake-up and when it fires; owned by the running task. */
  private @Nullable ScheduledFuture<?> timer;

  private long timerAt;

  /**
   * The opening thread's context class loader: a run (and the listeners it calls) sees it, as the
   * log's own writer thread, which inherited it, did before the pool.
   */
  private final @Nullable ClassLoader loader;

  /** {@code onExit} runs last, on the task's last run, however it ended. */
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
    this.loader = Thread.currentThread().getContextClassLoader();
  }

  /** Names the task to the staging side and has it take its first look. */
  void start() {
    staging.committerIs(this::wake, this::lead);
    wake();
  }

  /**
   * Has the task run (again): queues it if idle, makes a running task loop once more, and does
   * nothing if it is queued already or done. Never blocks; callable under the staging lock.
   */
  void wake() {
    while (true) {
      int s = state.get();
      if (s == IDLE) {
        if (state.compareAndSet(IDLE, QUEUED)) {
          Writers.execute(this);
          return;
        }
      } else if (s == RUNNING) {
        if (state.compareAndSet(RUNNING, AGAIN)) {
          return;
        }
      } else {
        return; // QUEUED or AGAIN: it will look; DONE: nothing more to do
      }
    }
  }

  /** One run of the writer task, on a pool thread. */
  @Override
  public void run() {
    if (!state.compareAndSet(QUEUED, RUNNING)) {
      return; // done meanwhile (cannot happen: only a run ends the task)
    }
    Thread me = Thread.currentThread();
    me.setContextClassLoader(loader);
    staging.runsOn(me);
    try {
      while (true) {
        Turn t = turn();
        if (t == Turn.DONE) {
          return;
        }
        staging.runsOn(null);
        if (t == Turn.MORE) {
          state.set(QUEUED); // a wake-up meanwhile is covered by the run queued here
          Writers.execute(this);
          return;
        }
        if (state.compareAndSet(RUNNING, IDLE)) {
          return;
        }
        state.set(RUNNING); // woken again while it looked: look once more
        staging.runsOn(me);
      }
    } catch (RuntimeException | Error e) {
      end(); // as the writer thread did however its loop ended
      throw e;
    } finally {
      me.setContextClassLoader(null); // a pool thread pins no log's class loader between runs
    }
  }

  /** Takes rounds while one is due, up to {@link #ROUNDS_PER_TURN}. */
  private Turn turn() {
    for (int n = 0; n < ROUNDS_PER_TURN; n++) {
      Staging.Poll p = staging.pollRound();
      if (p.stop) {
        end();
        return Turn.DONE;
      }
      Round round = p.round;
      if (round == null) {
        wakeIn(p.waitNanos);
        return Turn.IDLE;
      }
      boolean ok = commit(round);
      boolean finished = staging.finishRound(round, ok, done);
      if (finished) {
        finishClose(); // no appender can stage any more: the log is closing
      }
      publishVisible();
      complete(); // outside the staging lock: completions may run callers' callbacks
      staging.endCommit();
      if (finished) {
        end();
        return Turn.DONE;
      }
    }
    return Turn.MORE;
  }

  /**
   * Has the timer wake the task in {@code nanos}, unless a wake-up as early is still to come. A
   * wake-up whose time has passed may be the one that started this run (its future is done only
   * once {@link #wake} returned): it no longer counts, and a new one is scheduled.
   */
  private void wakeIn(long nanos) {
    if (nanos == Long.MAX_VALUE) {
      return; // a pending wake-up, if any, only makes the task look once more
    }
    long now = System.nanoTime();
    long at = now + nanos;
    ScheduledFuture<?> t = timer;
    if (t != null && !t.isDone() && timerAt - now > 0) {
      if (timerAt - at <= 0) {
        return;
      }
      t.cancel(false);
    }
    timer = Writers.schedule(this::wake, nanos);
    timerAt = at;
  }

  /** The task's last run: no wake-up runs it again; the log's shutdown runs here. */
  private void end() {
    if (state.getAndSet(DONE) == DONE) {
      return;
    }
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
    try {
      onExit.run();
    } finally {
      staging.runsOn(null);
    }
  }

  /**
   * Commits the round an appender took for itself, on the appender's thread (see {@link Staging});
   * the appender's own bytes are in it. Returns once they are forced; throws the log's failure if
   * the round failed. A close that began meanwhile is left to the writer task.
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
