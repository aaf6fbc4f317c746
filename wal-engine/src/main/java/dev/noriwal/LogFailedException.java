package dev.noriwal;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The log has stopped: a write or force failed, and after a failed force the page cache cannot be
 * trusted, so every in-flight and later append, sync and rotation fails with this exception,
 * carrying the first failure as its cause. A later successful force never clears it. Reopen the log
 * to recover from what is on disk.
 */
public final class LogFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  public LogFailedException(String message, @Nullable Throwable firstFailure) {
    super(message, firstFailure);
  }
}
