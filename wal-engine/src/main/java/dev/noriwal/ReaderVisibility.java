package dev.noriwal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * How far readers may read, and the wake-up of readers waiting for more. The writer task (and the
 * close) publish; any thread reads {@link #end} and waits in {@link #awaitBeyond}. The lock guards
 * only the wait, and is taken by the publisher only when a reader is waiting; it is the last lock
 * in the log's lock order (after the staging lock).
 */
final class ReaderVisibility {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private volatile Position visible;
  private volatile int waitingReaders;

  ReaderVisibility(Position start) {
    this.visible = start;
  }

  Position end() {
    return visible;
  }

  /** Moves the visible end (writer task) and wakes waiting readers. */
  void publish(Position end) {
    visible = end;
    if (waitingReaders > 0) {
      lock.lock();
      try {
        advanced.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Waits until the visible end moves past {@code seen}, {@code closed} holds, or time is up. */
  @SuppressWarnings("NonAtomicVolatileUpdate") // changed under the lock; volatile for readers
  void awaitBeyond(Position seen, long nanos, BooleanSupplier closed) throws InterruptedException {
    lock.lock();
    try {
      waitingReaders++;
      try {
        long left = nanos;
        while (visible.equals(seen) && !closed.getAsBoolean() && left > 0) {
          left = advanced.awaitNanos(left);
        }
      } finally {
        waitingReaders--;
      }
    } finally {
      lock.unlock();
    }
  }
}
