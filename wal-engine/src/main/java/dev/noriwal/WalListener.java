package dev.noriwal;

/**
 * Receives {@link WalEvent}s. Called on the thread that caused the event (the writer thread, an
 * appender committing its own round under {@code always()}, the opening thread): return quickly and
 * never block. An exception thrown here is caught and ignored, so a broken listener cannot stop the
 * log.
 */
@FunctionalInterface
public interface WalListener {
  void onEvent(WalEvent event);
}
