package dev.noriwal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Where the futures of {@code appendAsync} are completed, so that callers' callbacks never run on a
 * log's writer task (a callback that blocks, appends, closes the log or interrupts its thread would
 * otherwise stall or fence the writer).
 *
 * <p>One small JVM-wide pool of daemon threads serves every log; each log gets a {@link Serial}
 * view of it that runs its tasks one at a time in submission order, so a log's callbacks see its
 * appends complete in position order, and a slow callback holds back only its own log. A task's
 * interrupt status is cleared after it runs, so a callback that restores an interrupt does not leak
 * it into the next one.
 *
 * <p>Thread-safe.
 */
final class Completions {
  private static final int THREADS =
      Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
  private static final ThreadPoolExecutor POOL = daemonPool("nori-wal-completions-", THREADS);

  /**
   * A JVM-wide pool of {@code threads} daemon threads named {@code prefix}n, whose threads end
   * after 30 s without work (so an idle JVM holds none).
   */
  static ThreadPoolExecutor daemonPool(String prefix, int threads) {
    AtomicInteger names = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, prefix + names.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private Completions() {}

  /** A new per-log serial executor on the shared pool. */
  static Serial serial() {
    return new Serial();
  }

  /** Runs tasks one at a time, in order, on the shared pool. Thread-safe. */
  static final class Serial implements Executor {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    /** The thread running this executor's tasks right now, if any. */
    private volatile @Nullable Thread runner;

    /** Whether the calling thread is running one of this executor's tasks. */
    boolean isRunningTasksHere() {
      return runner == Thread.currentThread();
    }

    /**
     * Waits until every task submitted so far has run. Must not be called from one of this
     * executor's own tasks (see {@link #isRunningTasksHere}).
     */
    void drainUninterruptibly() {
      java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
      execute(done::countDown);
      Uninterruptibly.await(done);
    }

    @Override
    public void execute(Runnable task) {
      synchronized (tasks) {
        tasks.add(task);
        if (running) {
          return;
        }
        running = true;
      }
      POOL.execute(this::drain);
    }

    private void drain() {
      runner = Thread.currentThread();
      while (true) {
        Runnable next;
        synchronized (tasks) {
          next = tasks.poll();
          if (next == null) {
            running = false;
            runner = null;
            return;
          }
        }
        try {
          next.run();
        } catch (RuntimeException | Error ignored) {
          // A callback's failure is its own future's business; the next one still runs.
        } finally {
          Thread.interrupted();
        }
      }
    }
  }
}
