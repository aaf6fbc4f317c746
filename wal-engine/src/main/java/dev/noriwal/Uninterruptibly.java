package dev.noriwal;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waits that an interrupt does not cut short. The log's own waits (for a write on the calling
 * thread, a segment preparation, the writer's close, the completion of callbacks) must finish, or a
 * half-done operation would be abandoned; an interrupt that arrives meanwhile is kept and set again
 * on the thread when the wait is over, so the caller still sees it.
 */
final class Uninterruptibly {
  private Uninterruptibly() {}

  /** {@link Future#get()}, waiting through interrupts. */
  static <T> T get(Future<T> f) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * {@link Future#get()}, waiting through interrupts; the task's failure is rethrown as it was (an
   * {@code IOException}, an unchecked exception or an error), any other wrapped in an {@code
   * IOException}.
   */
  static <T> T getOrThrow(Future<T> f) throws IOException {
    try {
      return get(f);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IOException(c);
    }
  }

  /** {@link CountDownLatch#await()}, waiting through interrupts. */
  static void await(CountDownLatch latch) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          latch.await();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
