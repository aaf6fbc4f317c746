package dev.noriwal.kafka;

import dev.noriwal.Position;
import dev.noriwal.WalStats;
import java.lang.System.Logger.Level;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a relay has done and what it is doing: its {@link RelayState}, the published position, the
 * counters behind {@link RelayStatus}, the pause and close requests, and the one monitor on which
 * callers wait for progress and the relay thread waits out a backoff or a pause. Problems are
 * logged once per distinct condition.
 *
 * <p>Thread-safe: the relay thread alone writes the state, position and counters (volatile, read by
 * any thread); {@link #pause}, {@link #resume}, {@link #closing} and the waits may be called from
 * any thread.
 */
final class RelayProgress {
  // The relay's own logger name, which operators configure.
  private static final System.Logger LOG = System.getLogger(KafkaRelay.class.getName());

  private final RelaySettings settings;
  private final RelayedLog log;
  private final Object lock = new Object();

  // Written by the relay thread, read by any.
  private volatile RelayState state = RelayState.CONNECTING;
  private volatile @Nullable Position published; // null until the topic's tail is read
  private volatile @Nullable String lastError;
  private volatile long recordsPublished;
  private volatile long transactionsCommitted;
  private volatile long transactionsAborted;

  // Written by any thread.
  private volatile boolean paused;
  private volatile boolean closing;

  // lagRecords: the log's append counter and the relay's commit counter at the last moment the
  // relay had committed every record of the log; null until then.
  private record CaughtUp(long appended, long committed) {}

  private volatile @Nullable CaughtUp caughtUp;
  private volatile long committedSinceStart;

  private @Nullable String lastLogged; // relay thread only

  RelayProgress(RelaySettings settings, RelayedLog log) {
    this.settings = settings;
    this.log = log;
  }

  RelayState state() {
    return state;
  }

  @Nullable Position published() {
    return published;
  }

  long transactionsCommitted() {
    return transactionsCommitted;
  }

  RelayStatus status() {
    Position p = published;
    long lagBytes = p == null ? -1 : log.bytesBetween(p, log.wal().currentPosition());
    long lagRecords = -1;
    CaughtUp c = caughtUp;
    if (c != null) {
      lagRecords =
          Math.max(
              0,
              (log.wal().stats().recordsAppended() - c.appended())
                  - (committedSinceStart - c.committed()));
    }
    return new RelayStatus(
        state,
        p,
        lagBytes,
        lagRecords,
        recordsPublished,
        transactionsCommitted,
        transactionsAborted,
        lastError);
  }

  // ---- requests from any thread ----

  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
    signal();
  }

  boolean paused() {
    return paused;
  }

  void close() {
    closing = true;
    signal();
  }

  boolean closing() {
    return closing;
  }

  /**
   * Waits until the published position reaches {@code target}; false on timeout, or at once when
   * the relay is {@link RelayState#STOPPED} or closed.
   */
  boolean awaitPublished(Position target, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        Position p = published;
        if (p != null && (p.compareTo(target) >= 0 || log.bytesBetween(p, target) == 0)) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || state == RelayState.STOPPED || state == RelayState.CLOSED) {
          return false;
        }
        lock.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
      }
    }
  }

  // ---- the relay thread ----

  void connecting() {
    state = RelayState.CONNECTING;
  }

  /** The position read back from the topic, where this session resumes. */
  void resumedAt(Position p) {
    published = log.normalize(p);
  }

  /** The session has read its position back and publishes from there. */
  void running() {
    state = RelayState.RUNNING;
    lastError = null;
    LOG.log(
        Level.INFO,
        "relay {0} publishing {1} to topic {2} from position {3}",
        settings.name(),
        log.wal().config().directory(),
        settings.topic(),
        published);
    lastLogged = null;
    signal();
  }

  /** Waits while paused (the state reads PAUSED meanwhile), unless the relay is closing. */
  void awaitResumed() throws InterruptedException {
    state = RelayState.PAUSED;
    synchronized (lock) {
      while (paused && !closing) {
        lock.wait(200);
      }
    }
    state = RelayState.RUNNING;
  }

  /**
   * Called with no transaction open, the reader at {@code readerAt}: notes the counters if every
   * appended record is published, so that {@link RelayStatus#lagRecords()} can count from there.
   */
  void noteCaughtUp(Position readerAt) {
    WalStats s = log.wal().stats();
    if (log.bytesBetween(readerAt, s.currentPosition()) == 0) {
      caughtUp = new CaughtUp(s.recordsAppended(), committedSinceStart);
    }
  }

  // The counters are volatile for the MXBean's readers; only the relay thread writes them.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  void committed(int records, Position readerAt, Position next) {
    transactionsCommitted++;
    committedSinceStart += records;
    recordsPublished += records;
    noteCaughtUp(readerAt); // before awaitPublished can return, so lag reads true
    synchronized (lock) {
      published = log.normalize(next);
      lock.notifyAll();
    }
  }

  @SuppressWarnings("NonAtomicVolatileUpdate")
  void aborted() {
    transactionsAborted++;
  }

  /** Enters {@code s} with {@code message}, logged once per distinct condition. */
  void report(RelayState s, @Nullable String message, @Nullable Throwable unexpected) {
    state = s;
    lastError = message;
    // One line per distinct condition, so an outage or a missing topic is not a log of traces.
    String key = s + ": " + message;
    if (!key.equals(lastLogged)) {
      lastLogged = key;
      Level level = s == RelayState.STOPPED ? Level.ERROR : Level.WARNING;
      if (unexpected != null) {
        LOG.log(level, "relay " + settings.name() + " " + key, unexpected);
      } else {
        LOG.log(level, "relay {0} {1}", settings.name(), key);
      }
    }
    signal();
  }

  /** The relay thread ends: CLOSED unless it stopped on a failure. */
  void ended() {
    if (state != RelayState.STOPPED) {
      state = RelayState.CLOSED;
    }
    signal();
  }

  /** After {@link KafkaRelay#close()}: whatever the thread left, the relay is closed. */
  void closed() {
    state = RelayState.CLOSED;
  }

  /** Sleeps a backoff, waking early when the relay is closed. */
  void sleep(long millis) {
    synchronized (lock) {
      long deadline = System.nanoTime() + millis * 1_000_000;
      long left;
      while (!closing && (left = deadline - System.nanoTime()) > 0) {
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          if (closing) {
            return;
          }
        }
      }
    }
  }

  private void signal() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }
}
