package dev.noriwal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that commit every log's rounds, shared by all logs of the JVM: a pool of at most
 * {@link #BOUND} daemon threads named {@code nori-wal-writer-N}, made on demand and ended after
 * {@link #KEEP_ALIVE_MILLIS} without work, and one timer (a single daemon thread, {@code
 * nori-wal-timer}, ended likewise when nothing is scheduled) for timed wake-ups: batch windows, the
 * linger of {@code os()} and {@code batch}, and the idle release of staging chunks. Each log runs
 * as one task here ({@link GroupCommitter}); the timer only wakes tasks (it never commits), so a
 * slow timer task cannot exist. "On demand" is the {@link ThreadPoolExecutor}'s: a thread is added
 * for a task submitted while fewer than {@link #BOUND} exist, even if one is idle, so a JVM with
 * any busy log soon holds {@code BOUND} of them; tasks beyond queue (unbounded, in order). With
 * every log idle they are all gone a second later.
 *
 * <p>A pool thread has no context class loader of its own (each log's task sets the one its log was
 * opened with while it runs). A pool thread's interrupt status is cleared before and after every
 * task: an interrupt from outside (or one a listener restored) says nothing about the next log's
 * task, and the logs' channels ignore interrupts anyway ({@link UninterruptibleChannel}).
 *
 * <p>Thread-safe. A task that blocks (a slow force, a listener that blocks) holds one thread; the
 * other logs keep the rest of the pool.
 */
final class Writers {
  /** At most this many writer threads, whatever the number of logs. */
  static final int BOUND = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  /** A writer or timer thread without work for this long ends. */
  static final long KEEP_ALIVE_MILLIS = 1000;

  private static final ThreadPoolExecutor POOL =
      new ThreadPoolExecutor(
          BOUND,
          BOUND,
          KEEP_ALIVE_MILLIS,
          TimeUnit.MILLISECONDS,
          new LinkedBlockingQueue<>(),
          daemons("nori-wal-writer-")) {
        @Override
        protected void beforeExecute(Thread t, Runnable r) {
          Thread.interrupted();
        }

        @Override
        protected void afterExecute(Runnable r, Throwable t) {
          Thread.interrupted();
        }
      };

  private static final ScheduledThreadPoolExecutor TIMER =
      new ScheduledThreadPoolExecutor(1, daemons("nori-wal-timer"));

  static {
    POOL.allowCoreThreadTimeOut(true);
    TIMER.setKeepAliveTime(KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS);
    TIMER.allowCoreThreadTimeOut(true);
    TIMER.setRemoveOnCancelPolicy(true); // a rescheduled wake-up leaves nothing behind
  }

  private Writers() {}

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger names = new AtomicInteger();
    return r -> {
      int n = names.incrementAndGet();
      Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n : prefix);
      t.setDaemon(true);
      t.setContextClassLoader(null); // not the loader of whichever log happened to start it
      return t;
    };
  }

  /** Runs a log's task on the pool (it queues when every thread is busy). */
  static void execute(Runnable task) {
    POOL.execute(task);
  }

  /** Runs {@code wake} on the timer in {@code nanos}; it must return at once. */
  static ScheduledFuture<?> schedule(Runnable wake, long nanos) {
    return TIMER.schedule(wake, nanos, TimeUnit.NANOSECONDS);
  }
}
