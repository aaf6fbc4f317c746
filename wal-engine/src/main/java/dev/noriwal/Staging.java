package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Where appends wait to be written: positions are assigned here, records copied into 1 MiB staging
 * chunks, rotations decided and queued as {@link Staged} items, appenders held back when too much
 * is staged (or, under batch, when the window is exceeded), and callers queued as {@link Waiter}s
 * until the writer has written or forced their bytes. The log's {@link Lifecycle} changes only
 * here, since appenders check it under the same lock.
 *
 * <p><b>Who commits.</b> One thread at a time holds the commit ({@link #committing}): it takes a
 * {@link Round} of everything staged, writes and forces it without the lock, and ends the commit.
 * Usually that is the log's writer task, on a thread of the JVM-wide {@link Writers} pool (see
 * {@link GroupCommitter}). It never waits here: {@link #pollRound} takes a round if one is due, or
 * marks the writer idle and says when the next one will be; whatever makes a round due sooner (an
 * append under always(), 64 KiB staged (256 KiB under os()), a sync, a close, the end of a leader's
 * commit) wakes it through the wake-up it named ({@link #committerIs}). Under a rule whose
 * appenders lead ({@code always()}), a synchronous appender that finds no commit in flight takes
 * the round itself, in the same critical section as its copy, and commits it on its own thread: a
 * lone appender then pays its write and force and no thread hand-off. Appenders that find a commit
 * in flight wait for it like any caller; the committer wakes the writer for them when it ends (see
 * {@link #endCommit}).
 *
 * <p>Thread-safe. Every field is guarded by {@link #mu} except {@link #leader} (volatile, written
 * under {@code mu}), {@link #runner} (volatile, written by the writer task) and {@link #wake} and
 * {@link #leadWith} (written once, under {@code mu}, before the log is handed out). Appenders take
 * {@code mu} for a copy, never for I/O; whoever holds the commit takes it to collect a round and to
 * finish one, and does its I/O without it. The writer's wake-up runs under {@code mu}: an atomic
 * state change and at most a hand-off to the pool, never a wait. Lock order: {@code mu}, then
 * {@link ReaderVisibility}'s lock.
 */
final class Staging {
  static final int CHUNK = 1 << 20;

  /** Staged bytes beyond which appenders wait for the writer (bounded memory). */
  static final long MAX_STAGED = 16L << 20;

  /**
   * Under batch, staged bytes that wake the writer before the linger or the window is up (see
   * {@link CommitRule#wakeBytes}).
   */
  static final int WAKE_BYTES = 64 * 1024;

  /** Under os() and batch, the longest staged bytes wait before being written to the OS. */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final long maxSegmentSize;
  private final CommitRule rule;
  private final int wakeBytes;
  private final SegmentWriter progress;
  private final SegmentRegistry registry;
  private @Nullable Runnable wake;
  private @Nullable Leader leadWith;

  /** The pool thread running this log's writer task right now, if one is. */
  private volatile @Nullable Thread runner;

  private final ReentrantLock mu = new ReentrantLock();
  private final Condition space = mu.newCondition();

  /** Signalled after every force (and when the log stops): appenders held by the batch window. */
  private final Condition forced = mu.newCondition();

  private final StagingArea area = new StagingArea();
  private final Waiters waiters = new Waiters();
  private final Lifecycle life;

  /**
   * When the oldest append not yet covered by a force was staged (0 if none); the commit rule
   * decides from it when a force is due and whether appenders are held back.
   */
  private long unforcedSinceNanos;

  private final Positions positions;
  private boolean forceRequested;
  private boolean flushRequested;

  /**
   * The writer task found nothing due at its last look ({@link #pollRound}) and has not looked
   * again: whatever makes a round due must wake it.
   */
  private boolean writerIdle;

  /** True while the idle writer has no timed wake-up (it must then be woken for new data). */
  private boolean writerWaitsForever;

  /** What {@link #pollRound} found; owned by the writer task. */
  private final Poll poll = new Poll();

  /**
   * A round is being committed, by the writer task or a leading appender; nobody else takes one
   * until {@link #endCommit}. The holder owns {@link #round} and the {@link SegmentWriter}.
   */
  private boolean committing;

  /** The appender committing its own round, if one is (see the class doc). */
  private volatile @Nullable Thread leader;

  /** The one round, handed from commit holder to commit holder under {@link #mu}. */
  private final Round round = new Round();

  Staging(
      Path dir,
      long maxSegmentSize,
      CommitRule rule,
      SegmentWriter progress,
      SegmentRegistry registry,
      long segmentId,
      long segmentSize) {
    this.life = new Lifecycle(dir);
    this.maxSegmentSize = maxSegmentSize;
    this.rule = rule;
    this.wakeBytes = rule.wakeBytes();
    this.progress = progress;
    this.registry = registry;
    this.positions = new Positions(segmentId, segmentSize, registry.takeRecords(segmentId));
  }

  /** Commits a round an appender took for itself (see the class doc). */
  interface Leader {
    /**
     * Commits {@code round} on the calling thread, completes the callers it covered, and calls
     * {@link #endCommit}; throws the log's failure if the commit failed.
     */
    void lead(Round round) throws IOException;
  }

  /** What {@link #pollRound} found: a round to commit, a stop, or nothing due for a while. */
  static final class Poll {
    /** The round taken (the caller holds the commit), or null. */
    @Nullable Round round;

    /** The log failed and is closing: the writer task runs the log's shutdown. */
    boolean stop;

    /** With no round and no stop: wake in this long ({@code Long.MAX_VALUE}: only when woken). */
    long waitNanos;
  }

  /**
   * Names the writer task's wake-up (called, under the lock, wherever something becomes due while
   * the task is idle) and what commits an appender's own round.
   */
  void committerIs(Runnable wakeUp, Leader leader) {
    mu.lock();
    try {
      wake = wakeUp;
      leadWith = leader;
    } finally {
      mu.unlock();
    }
  }

  /** The writer task runs on {@code t} from now on ({@code null}: on no thread). */
  void runsOn(@Nullable Thread t) {
    runner = t;
  }

  /**
   * Whether the calling thread is the one writing the log: the pool thread running this log's
   * writer task, or an appender committing its own round (listeners run on both). Appends, syncs
   * and waiting closes are refused there: they would wait for the commit the thread itself holds.
   */
  boolean onWriterSide() {
    Thread t = Thread.currentThread();
    return t == runner || t == leader;
  }

  /** Wakes the writer task if it is idle. Caller holds {@link #mu}. */
  private void wakeWriter() {
    if (writerIdle) {
      Runnable w = wake;
      if (w != null) {
        w.run();
      }
    }
  }

  /** The log's lifecycle; it changes only here, under {@link #mu}. */
  Lifecycle life() {
    return life;
  }

  // ------------------------------------------------------------------ appenders

  /** Stages one record and returns its position, once forced if the rule acknowledges so. */
  Position append(WalRecord record, byte[] value, Compression as, @Nullable ByteBuffer encoded)
      throws IOException {
    long segmentId;
    long offset;
    @Nullable Waiter ack;
    mu.lock();
    try {
      offset = stage(record, value, as, encoded, true);
      segmentId = positions.segmentId(); // after stage: it may have moved on to the next segment
      ack = acknowledgement();
    } finally {
      mu.unlock();
    }
    awaitAcknowledgement(ack);
    // Made last and from two longs: a caller who ignores it lets the JIT drop the allocation.
    return new Position(segmentId, offset);
  }

  /** Stages records in order, contiguous in the log, acknowledged together. */
  List<Position> appendBatch(List<WalRecord> records, List<Codecs.Stored> stored)
      throws IOException {
    List<Position> out = new ArrayList<>(records.size());
    @Nullable Waiter ack;
    mu.lock();
    try {
      for (int i = 0; i < records.size(); i++) {
        Codecs.Stored st = stored.get(i);
        long offset = stage(records.get(i), st.bytes(), st.compression(), null, i == 0);
        out.add(new Position(positions.segmentId(), offset));
      }
      ack = acknowledgement();
    } finally {
      mu.unlock();
    }
    awaitAcknowledgement(ack);
    return List.copyOf(out);
  }

  /**
   * What a synchronous appender does once its records are staged, decided under {@link #mu}: under
   * a rule that acknowledges after the force, it either takes the commit and the round (it found no
   * commit in flight; {@link #leader} is then this thread) or queues the waiter it returns;
   * otherwise nothing is awaited (null) and the writer is woken if it should be. The waiter carries
   * no result: the appender knows its positions already.
   */
  private @Nullable Waiter acknowledgement() {
    if (rule.acknowledgesAfterForce()) {
      if (takeLead()) {
        return null;
      }
      Waiter w = new Waiter(positions.nextSeq(), new CompletableFuture<>(), null, false);
      waiters.awaitForce(w);
      wakeWriterAfterStage();
      return w;
    }
    wakeWriterAfterStage();
    return null;
  }

  /** Carries out {@link #acknowledgement}'s decision, without the lock. */
  private void awaitAcknowledgement(@Nullable Waiter w) throws IOException {
    if (w != null) {
      Waiter.await(w.future);
    } else if (leader == Thread.currentThread()) {
      // Only this thread sets leader to itself (under mu) and clears it (in endCommit).
      Objects.requireNonNull(leadWith, "leader").lead(round);
    }
  }

  /** Stages one record; {@code f} completes (off the committing thread) with its position. */
  void appendAsync(
      WalRecord record,
      byte[] value,
      Compression as,
      @Nullable ByteBuffer encoded,
      CompletableFuture<Object> f)
      throws IOException {
    mu.lock();
    try {
      // Not acknowledged before its force: no need to hold it back for the window.
      long offset = stage(record, value, as, encoded, false);
      Position pos = new Position(positions.segmentId(), offset);
      Waiter w = new Waiter(positions.nextSeq(), f, pos, true);
      if (rule.asyncWaitsForForce()) {
        waiters.awaitForce(w);
      } else {
        waiters.awaitWrite(w);
      }
      wakeWriterAfterStage();
    } finally {
      mu.unlock();
    }
  }

  /** Queues a rotation after what is staged and waits until the writer has done it. */
  void rotate() throws IOException {
    if (onWriterSide()) {
      throw new IllegalStateException(
          "rotate called on the thread writing the log (from a listener or a future callback)");
    }
    mu.lock();
    try {
      life.checkWritable();
      if (positions.segmentSize() == 0) {
        return;
      }
      long newId = positions.segmentId() + 1;
      area.rotation(newId);
      startNextSegment();
      flushRequested = true;
      wakeWriter();
      // Not a waiter keyed by bytes: a rotation adds none, so a round already in flight with the
      // last bytes would release it before the round that carries the rotation. Every finished
      // round (and a failure) signals forced; the writer moves to the new segment before that.
      while (progress.segmentId() < newId) {
        if (life.failure() != null) {
          throw life.failed();
        }
        if (life.ended()) {
          throw new IllegalStateException(
              "log stopped before its rotation to segment "
                  + SegmentName.toFileName(newId)
                  + " was written");
        }
        forced.awaitUninterruptibly();
      }
    } finally {
      mu.unlock();
    }
  }

  /** Waits until everything staged is forced ({@code force}) or written to the OS. */
  void request(boolean force, boolean flush) throws IOException {
    if (onWriterSide()) {
      throw new IllegalStateException(
          "sync/flush called on the thread writing the log (from a listener)");
    }
    CompletableFuture<Object> f = new CompletableFuture<>();
    mu.lock();
    try {
      life.checkWritable();
      if (force) {
        if (progress.durableSeq() >= positions.nextSeq() && area.bytes() == 0) {
          return;
        }
        forceRequested = true;
        waiters.awaitForce(new Waiter(positions.nextSeq(), f, null, false));
      } else {
        if (progress.writtenSeq() >= positions.nextSeq() && area.bytes() == 0) {
          return;
        }
        flushRequested = flush;
        waiters.awaitWrite(new Waiter(positions.nextSeq(), f, null, false));
      }
      wakeWriter();
    } finally {
      mu.unlock();
    }
    Waiter.await(f);
  }

  /**
   * Assigns a position and puts the record into the staging area, copying {@code encoded} when the
   * appender encoded it already; returns the record's offset in the segment {@link Positions} is in
   * afterwards (a rotation happens before the offset is taken). Caller holds {@link #mu}.
   */
  private long stage(
      WalRecord r,
      byte[] value,
      Compression as,
      @Nullable ByteBuffer encoded,
      boolean holdForWindow)
      throws IOException {
    long size = RecordFormat.encodedSize(r, value.length);
    if (size > maxSegmentSize) {
      throw new IllegalArgumentException(
          "record of " + size + " encoded bytes exceeds maxSegmentSize " + maxSegmentSize);
    }
    if (onWriterSide()) {
      throw new IllegalStateException(
          "append called on the thread writing the log (from a listener or a future callback);"
              + " use an *Async stage or another thread");
    }
    life.checkWritable();
    if (holdForWindow) {
      holdWhileWindowExceeded();
    }
    while (area.bytes() > 0 && area.bytes() + size > MAX_STAGED) {
      wakeWriter();
      space.awaitUninterruptibly();
      life.checkWritable();
    }
    if (positions.full(size, maxSegmentSize)) {
      area.rotation(positions.segmentId() + 1);
      startNextSegment();
    }
    long offset = positions.segmentSize();
    boolean first = area.bytes() == 0;
    area.put(r, value, as, encoded, size);
    if (first && unforcedSinceNanos == 0) {
      unforcedSinceNanos = area.sinceNanos();
    }
    positions.advance(size);
    return offset;
  }

  /**
   * Acknowledges nothing new while the rule holds appenders back (under batch: the oldest
   * acknowledged-but-unforced append is older than the window), waiting for the force that covers
   * it. This keeps the window's promise when forces are slower than the window. Caller holds {@link
   * #mu}.
   */
  private void holdWhileWindowExceeded() throws IOException {
    while (rule.holdsAppenders(unforcedSinceNanos, progress.durableSeq() < positions.nextSeq())) {
      wakeWriter();
      forced.awaitUninterruptibly();
      life.checkWritable();
    }
  }

  /** Positions now go to the next segment. Caller holds {@link #mu}. */
  private void startNextSegment() {
    long id = positions.segmentId();
    registry.putRecords(id, positions.nextSegment());
  }

  /**
   * Takes the commit and a round of everything staged for the calling appender, if the rule lets
   * appenders lead and nobody commits now; returns whether it did. Caller holds {@link #mu}.
   */
  private boolean takeLead() {
    if (!rule.appendersLead() || committing || leadWith == null) {
      return false;
    }
    leader = Thread.currentThread();
    takeRound();
    return true;
  }

  /** Wakes an idle writer for what was just staged, unless a commit in flight will see it. */
  private void wakeWriterAfterStage() {
    if (!committing
        && (rule.wakesWriterOnEveryAppend() || writerWaitsForever || area.bytes() >= wakeBytes)) {
      wakeWriter();
    }
  }

  // ------------------------------------------------------------------ the writer's side

  /**
   * The writer task's look at the log (never blocks): if a round is due, by the commit rule or a
   * request, and nobody else commits, takes the commit and moves everything staged into {@link
   * Poll#round}; if the log failed and is closing, says stop; else says how long until something is
   * due (the linger, the batch window, or the idle release of the staging chunks, which happens
   * here when its time has come) and marks the writer idle, so that whatever makes a round due
   * sooner wakes it.
   */
  Poll pollRound() {
    mu.lock();
    try {
      writerIdle = false;
      writerWaitsForever = false;
      poll.round = null;
      poll.stop = false;
      while (true) {
        long now = System.nanoTime();
        if (committing) {
          // A leading appender commits: it wakes the writer when it ends if anything is due (or
          // if the writer has no timed wake-up, so that it can give the chunks back later).
          return idle(area.idle(now), false);
        }
        if (life.failure() != null) {
          if (life.closing()) {
            poll.stop = true;
            return poll;
          }
          return idle(Long.MAX_VALUE, true);
        }
        boolean hasData = area.hasData();
        boolean unforced = progress.durableSeq() < positions.nextSeq();
        boolean lingerDue =
            hasData && (area.bytes() >= wakeBytes || now - area.sinceNanos() >= LINGER_NANOS);
        if (life.closing()
            || forceRequested
            || flushRequested
            || rule.roundDue(now, hasData, unforced, unforcedSinceNanos)
            || lingerDue) {
          poll.round = takeRound();
          return poll;
        }
        long wait = rule.nanosUntilDue(now, unforced, unforcedSinceNanos);
        if (hasData) {
          wait = Math.min(wait, area.sinceNanos() + LINGER_NANOS - now);
        }
        if (wait == Long.MAX_VALUE) {
          // Idle: wake to give the chunks back. Still "forever": an append wakes it at once.
          return idle(area.idle(now), true);
        }
        if (wait > 0) {
          return idle(wait, false);
        }
      }
    } finally {
      mu.unlock();
    }
  }

  /**
   * The writer goes idle for {@code nanos} (see {@link Poll#waitNanos}); {@code forever}: appends
   * must wake it (also when it has no timed wake-up at all). Caller holds {@link #mu}.
   */
  private Poll idle(long nanos, boolean forever) {
    writerIdle = true;
    writerWaitsForever = forever || nanos == Long.MAX_VALUE;
    poll.waitNanos = nanos;
    return poll;
  }

  /** Takes the commit and moves everything staged into {@link #round}. Caller holds {@link #mu}. */
  private Round takeRound() {
    committing = true;
    Round r = round;
    r.takeNanos = System.nanoTime();
    area.drainTo(r.items);
    space.signalAll();
    r.target = positions.nextSeq();
    r.targetPos = positions.current();
    r.force = life.closing() || forceRequested || rule.forcesRound(r.takeNanos, unforcedSinceNanos);
    r.closing = life.closing();
    forceRequested = false;
    flushRequested = false;
    return r;
  }

  /**
   * After the commit holder committed {@code round} ({@code ok}: without failure): moves the
   * callers it covered to {@code done}, takes back its staging chunks, and clears the round. The
   * holder keeps the commit until {@link #endCommit}. Returns true if the log is closing cleanly
   * with nothing left to write (no appender can stage any more).
   */
  boolean finishRound(Round round, boolean ok, List<Waiter> done) {
    mu.lock();
    try {
      if (ok) {
        if (round.force) {
          unforcedSinceNanos = positions.nextSeq() == round.target ? 0 : round.takeNanos;
        }
        long d = progress.durableSeq();
        long w = progress.writtenSeq();
        if (d >= positions.nextSeq()) {
          unforcedSinceNanos = 0; // e.g. a rotation forced everything
        }
        forced.signalAll();
        waiters.collect(d, w, done);
      }
      area.recycle(round.items);
      round.items.clear();
      return life.closing() && life.failure() == null && area.isEmpty();
    } finally {
      mu.unlock();
    }
  }

  /**
   * Gives up the commit after a round's callers were completed; if a leading appender held it and
   * anything is due, wakes the writer task to commit it (the callers who staged meanwhile wait on
   * it).
   */
  void endCommit() {
    mu.lock();
    try {
      committing = false;
      leader = null;
      if (writerWaitsForever
          || area.hasData()
          || forceRequested
          || flushRequested
          || life.closing()
          || life.failure() != null) {
        wakeWriter();
      }
    } finally {
      mu.unlock();
    }
  }

  // ------------------------------------------------------------------ failure and close

  /**
   * Records the log's failure (the first one wins), drops what is staged, and moves every waiting
   * caller to {@code toFail}. Returns whether this was the log's first failure.
   */
  boolean fail(Throwable cause, List<Waiter> toFail) {
    mu.lock();
    try {
      boolean first = life.fail(cause);
      waiters.drainTo(toFail);
      area.drop();
      space.signalAll();
      forced.signalAll();
      return first;
    } finally {
      mu.unlock();
    }
  }

  /** Asks the writer to finish; returns false if it had been asked already. */
  boolean requestClose() {
    mu.lock();
    try {
      if (!life.close()) {
        return false;
      }
      wakeWriter();
      space.signalAll();
      forced.signalAll();
      return true;
    } finally {
      mu.unlock();
    }
  }

  /** Asks the writer to stop the way a killed process would (tests). */
  void requestCrash() {
    mu.lock();
    try {
      life.crash();
      wakeWriter();
    } finally {
      mu.unlock();
    }
  }

  /**
   * The last staging work of the writer task: moves callers still waiting to {@code leftovers},
   * returns the staging chunks, and says how the log ended.
   */
  Lifecycle.Ending drain(List<Waiter> leftovers) {
    mu.lock();
    try {
      waiters.drainTo(leftovers);
      area.release();
      Lifecycle.Ending end = life.end();
      space.signalAll();
      forced.signalAll();
      return end;
    } finally {
      mu.unlock();
    }
  }

  /** The clean close failed on its final force: the log ends FAILED and close reports it. */
  void failWhileClosing(Throwable e) {
    mu.lock();
    try {
      life.failWhileClosing(e);
    } finally {
      mu.unlock();
    }
  }

  // ------------------------------------------------------------------ reading the state

  /** The staging side of the log's state, read together under the lock. */
  StagingSnapshot snapshot() {
    mu.lock();
    try {
      return new StagingSnapshot(
          positions.records(),
          positions.bytes(),
          area.bytes(),
          positions.current(),
          positions.nextSeq() - progress.durableSeq(),
          unforcedSinceNanos == 0 ? 0 : System.nanoTime() - unforcedSinceNanos,
          positions.segmentRecords(),
          area.holdsChunks());
    } finally {
      mu.unlock();
    }
  }
}
