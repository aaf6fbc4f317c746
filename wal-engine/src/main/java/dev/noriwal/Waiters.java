package dev.noriwal;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Callers waiting for the writer, in position order: those waiting for a force and those waiting
 * only for the write. Not thread-safe: {@link Staging} guards it with its lock.
 */
final class Waiters {
  private final ArrayDeque<Waiter> durable = new ArrayDeque<>();
  private final ArrayDeque<Waiter> written = new ArrayDeque<>();

  /** Queues a caller waiting for a force. */
  void awaitForce(Waiter w) {
    durable.add(w);
  }

  void awaitWrite(Waiter w) {
    written.add(w);
  }

  /** Moves to {@code done} every caller covered by the forced and written sequence numbers. */
  void collect(long durableSeq, long writtenSeq, List<Waiter> done) {
    while (!durable.isEmpty() && durable.peek().end <= durableSeq) {
      done.add(durable.poll());
    }
    while (!written.isEmpty() && written.peek().end <= writtenSeq) {
      done.add(written.poll());
    }
  }

  /** Moves every waiting caller to {@code out}. */
  void drainTo(List<Waiter> out) {
    out.addAll(durable);
    out.addAll(written);
    durable.clear();
    written.clear();
  }
}
