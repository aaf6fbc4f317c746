package dev.noriwal;

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
