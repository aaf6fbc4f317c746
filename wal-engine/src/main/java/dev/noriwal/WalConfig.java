package dev.noriwal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a log is opened. Build one with {@link #builder(Path)}; every setting has a default except
 * the directory. Immutable and validated on construction.
 *
 * @param directory where the segment files live; created if missing
 * @param maxSegmentSize bytes after which a new segment starts; at least 1 MiB
 * @param fsyncPolicy when appends are forced
 * @param preallocate whether segments are zero-filled (real blocks, forced) ahead of the writer, in
 *     steps of 1 to 16 MiB paced by the write rate, rather than grown by the appends themselves;
 *     under {@link FsyncPolicy#os()}, whose appends are not forced as they come, segments are
 *     always grown by the appends
 * @param recoveryMode what opening does with damage beyond a torn tail
 * @param listeners receive {@link WalEvent}s, including those raised while opening
 */
public record WalConfig(
    Path directory,
    long maxSegmentSize,
    FsyncPolicy fsyncPolicy,
    boolean preallocate,
    RecoveryMode recoveryMode,
    List<WalListener> listeners) {

  /** 128 MiB, as in nori-wal. */
  public static final long DEFAULT_MAX_SEGMENT_SIZE = 128L * 1024 * 1024;

  /** Smallest allowed segment size (1 MiB), as in nori-wal. */
  public static final long MIN_SEGMENT_SIZE = 1024L * 1024;

  /**
   * Batch of 5 ms: appends return before they are durable, and a crash (of the process or of the
   * machine) can take at most the last 5 ms of them; every append is forced within 5 ms.
   */
  public static final FsyncPolicy DEFAULT_FSYNC_POLICY = FsyncPolicy.batch(Duration.ofMillis(5));

  /**
   * Preallocation on: a segment's disk space is claimed with real zero blocks, forced, in steps
   * ahead of the writer, so the force of an appended record carries no block allocation (under
   * {@code always()} and {@code batch}; {@code os()} forces only on request and skips it). A step
   * that fails (a full disk) is dropped; the writer's own writes then extend the file, and if those
   * fail too the log fences (no record is half acknowledged).
   */
  public static final boolean DEFAULT_PREALLOCATE = true;

  /** Torn tails are cut; any other damage fails the open and modifies nothing. */
  public static final RecoveryMode DEFAULT_RECOVERY_MODE = RecoveryMode.TOLERATE_TORN_TAIL;

  public WalConfig {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
    Objects.requireNonNull(recoveryMode, "recoveryMode");
    listeners = List.copyOf(listeners);
    if (maxSegmentSize < MIN_SEGMENT_SIZE) {
      throw new IllegalArgumentException(
          "maxSegmentSize must be at least "
              + MIN_SEGMENT_SIZE
              + " bytes (1 MiB): "
              + maxSegmentSize);
    }
    if (maxSegmentSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "maxSegmentSize must be at most " + Integer.MAX_VALUE + " bytes: " + maxSegmentSize);
    }
  }

  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** This configuration with another recovery mode (for example to repair a damaged log). */
  public WalConfig withRecoveryMode(RecoveryMode mode) {
    return new WalConfig(directory, maxSegmentSize, fsyncPolicy, preallocate, mode, listeners);
  }

  /** This configuration with one more listener. */
  public WalConfig withListener(WalListener listener) {
    return new WalConfig(
        directory,
        maxSegmentSize,
        fsyncPolicy,
        preallocate,
        recoveryMode,
        Builder.concat(listeners, Objects.requireNonNull(listener, "listener")));
  }

  /** Not thread-safe. Each setting may be made once. */
  public static final class Builder {
    private final Path directory;
    private @Nullable Long maxSegmentSize;
    private @Nullable FsyncPolicy fsyncPolicy;
    private @Nullable Boolean preallocate;
    private @Nullable RecoveryMode recoveryMode;
    private List<WalListener> listeners = List.of();

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    public Builder maxSegmentSize(long bytes) {
      requireUnset(maxSegmentSize, "maxSegmentSize");
      maxSegmentSize = bytes;
      return this;
    }

    public Builder fsyncPolicy(FsyncPolicy policy) {
      requireUnset(fsyncPolicy, "fsyncPolicy");
      fsyncPolicy = Objects.requireNonNull(policy, "fsyncPolicy");
      return this;
    }

    public Builder preallocate(boolean on) {
      requireUnset(preallocate, "preallocate");
      preallocate = on;
      return this;
    }

    public Builder recoveryMode(RecoveryMode mode) {
      requireUnset(recoveryMode, "recoveryMode");
      recoveryMode = Objects.requireNonNull(mode, "recoveryMode");
      return this;
    }

    /** Adds a listener; it is called on the log's own threads and must not block. */
    public Builder listener(WalListener listener) {
      Objects.requireNonNull(listener, "listener");
      listeners = concat(listeners, listener);
      return this;
    }

    public WalConfig build() {
      return new WalConfig(
          directory,
          maxSegmentSize == null ? DEFAULT_MAX_SEGMENT_SIZE : maxSegmentSize,
          fsyncPolicy == null ? DEFAULT_FSYNC_POLICY : fsyncPolicy,
          preallocate == null ? DEFAULT_PREALLOCATE : preallocate,
          recoveryMode == null ? DEFAULT_RECOVERY_MODE : recoveryMode,
          listeners);
    }

    private static void requireUnset(@Nullable Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
    }

    private static List<WalListener> concat(List<WalListener> list, WalListener l) {
      WalListener[] all = list.toArray(new WalListener[list.size() + 1]);
      all[list.size()] = l;
      return List.of(all);
    }
  }
}
