package dev.noriwal;

import java.time.Duration;
import java.util.Objects;

/**
 * When appended bytes are forced to stable storage. See {@link Wal} for what "returned" means under
 * each policy.
 */
public sealed interface FsyncPolicy {

  /**
   * Every append returns only after a force that covers it. Concurrent appenders share forces
   * (group commit), so throughput grows with the number of appending threads.
   */
  static FsyncPolicy always() {
    return Always.INSTANCE;
  }

  /**
   * Appends return at once; a background timer forces each append within {@code window} of it, even
   * if no later append arrives. {@link Wal#appendAsync} completes when the force is done. The
   * window must be more than zero and at most one second.
   */
  static FsyncPolicy batch(Duration window) {
    return new Batch(window);
  }

  /**
   * Forces only on {@link Wal#sync()}, rotation and close; a power loss can take everything
   * appended since. Appended bytes reach the OS within about a millisecond (at once on {@link
   * Wal#flush()}), after which a crash of the process alone no longer loses them.
   */
  static FsyncPolicy os() {
    return Os.INSTANCE;
  }

  /** Parses {@code always}, {@code os} or {@code batch:5ms} (also {@code batch:PT0.005S}). */
  static FsyncPolicy parse(String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("always")) {
      return always();
    }
    if (t.equalsIgnoreCase("os")) {
      return os();
    }
    if (t.regionMatches(true, 0, "batch:", 0, 6)) {
      String w = t.substring(6).trim();
      try {
        if (w.startsWith("PT") || w.startsWith("pt")) {
          return batch(Duration.parse(w));
        }
        if (w.endsWith("ms")) {
          return batch(Duration.ofMillis(Long.parseLong(w.substring(0, w.length() - 2))));
        }
        if (w.endsWith("us")) {
          return batch(Duration.ofNanos(1000 * Long.parseLong(w.substring(0, w.length() - 2))));
        }
        if (w.endsWith("s")) {
          return batch(Duration.ofSeconds(Long.parseLong(w.substring(0, w.length() - 1))));
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("fsync policy has a bad batch window: " + text, e);
      }
    }
    throw new IllegalArgumentException(
        "fsync policy must be always, os or batch:<window> (e.g. batch:5ms): " + text);
  }

  /** {@link #always()}. */
  enum Always implements FsyncPolicy {
    INSTANCE;

    @Override
    public String toString() {
      return "always";
    }
  }

  /** {@link #os()}. */
  enum Os implements FsyncPolicy {
    INSTANCE;

    @Override
    public String toString() {
      return "os";
    }
  }

  /** {@link #batch(Duration)}. */
  record Batch(Duration window) implements FsyncPolicy {
    public Batch {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException(
            "batch window must be more than zero (use always() for per-append forces): " + window);
      }
      if (window.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("batch window must be at most 1s: " + window);
      }
    }

    @Override
    public String toString() {
      long micros = window.toNanos() / 1000;
      return micros % 1000 == 0 ? "batch:" + micros / 1000 + "ms" : "batch:" + micros + "us";
    }
  }
}
