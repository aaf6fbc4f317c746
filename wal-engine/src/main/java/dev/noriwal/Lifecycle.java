package dev.noriwal;

import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Whether the log is open, closing, failed or closed, and why. Thread-safe (its own monitor, the
 * last lock taken, for changes; volatile fields for the checks): it changes only through {@link
 * Staging}, under the staging lock, so what appenders and the writer read under that lock stays
 * true while they hold it. {@link #checkWritable}, which every append calls, takes no monitor.
 */
final class Lifecycle {
  /** How the log ended, as the writer task leaves. */
  record Ending(
      boolean clean, boolean crash, boolean failedWhileClosing, @Nullable Throwable cause) {}

  private final Path dir;
  private volatile boolean closing;
  private volatile @Nullable Throwable failure;

  /** A write or force failed after close began: close reports it and leaves the log FAILED. */
  private boolean failedWhileClosing;

  /** Set by a simulated crash: the writer stops as a killed process would. */
  private boolean crashing;

  private boolean ended;

  private volatile WalState state = WalState.OPEN;

  Lifecycle(Path dir) {
    this.dir = dir;
  }

  WalState state() {
    return state;
  }

  void state(WalState s) {
    state = s;
  }

  boolean closing() {
    return closing;
  }

  @Nullable Throwable failure() {
    return failure;
  }

  /** Throws unless appends are accepted. */
  void checkWritable() throws IOException {
    if (failure != null) {
      throw failed();
    }
    if (closing) {
      throw new IllegalStateException("log in " + dir + " is closed");
    }
  }

  synchronized LogFailedException failed() {
    return new LogFailedException(
        "log in "
            + dir
            + " has failed and accepts no more appends; reopen it to recover: "
            + failure,
        failure);
  }

  /** Records a failed write or force (the first one wins); returns whether it was the first. */
  synchronized boolean fail(Throwable cause) {
    if (failure != null) {
      return false;
    }
    failure = cause;
    state = WalState.FAILED;
    failedWhileClosing = closing && !crashing;
    return true;
  }

  /** The clean close failed on its final force: the log ends FAILED and close reports it. */
  synchronized void failWhileClosing(Throwable e) {
    failure = e;
    state = WalState.FAILED;
    failedWhileClosing = true;
  }

  /** Starts the close; returns false if it had been started already. */
  synchronized boolean close() {
    if (closing) {
      return false;
    }
    closing = true;
    return true;
  }

  /** Starts a simulated crash: the writer stops without a clean close. */
  synchronized void crash() {
    crashing = true;
    if (failure == null) {
      failure = new IOException("simulated crash");
    }
    closing = true;
  }

  synchronized Ending end() {
    closing = true;
    ended = true;
    return new Ending(failure == null, crashing, failedWhileClosing, failure);
  }

  /** The writer has ended: nothing staged will be written any more. */
  synchronized boolean ended() {
    return ended;
  }
}
