package dev.noriwal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** A log's listeners. Thread-safe; events are delivered on the emitting thread, in order. */
final class WalEvents {
  private final CopyOnWriteArrayList<WalListener> listeners;

  WalEvents(List<WalListener> initial) {
    this.listeners = new CopyOnWriteArrayList<>(initial);
  }

  void add(WalListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  void remove(WalListener listener) {
    listeners.remove(listener);
  }

  void emit(WalEvent e) {
    emit(listeners, e);
  }

  /** Whether anyone listens: the writer builds a per-force event only then. */
  boolean any() {
    return !listeners.isEmpty();
  }

  static void emit(List<WalListener> listeners, WalEvent e) {
    for (WalListener l : listeners) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ignored) {
        // A broken listener must not stop the log.
      }
    }
  }
}
