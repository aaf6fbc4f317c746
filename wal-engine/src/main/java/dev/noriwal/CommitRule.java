package dev.noriwal;

/**
 * When the writer writes, when it forces, and when an appender is acknowledged: one rule per {@link
 * FsyncPolicy}, made once by {@link #of} from the sealed policy itself. Each rule answers from the
 * staging state it is handed, so it holds nothing mutable and is thread-safe.
 */
sealed interface CommitRule {
  static CommitRule of(FsyncPolicy policy) {
    if (policy instanceof FsyncPolicy.Batch b) {
      return new Batch(b.window().toNanos());
    }
    if (policy instanceof FsyncPolicy.Always) {
      return Always.RULE;
    }
    if (policy instanceof FsyncPolicy.Os) {
      return Os.RULE;
    }
    throw new IllegalArgumentException("unknown fsync policy " + policy);
  }

  /** A synchronous {@code append} returns only once its bytes are forced. */
  default boolean acknowledgesAfterForce() {
    return false;
  }

  /** An {@code appendAsync} future completes once forced (else once written to the OS). */
  default boolean asyncWaitsForForce() {
    return true;
  }

  /** What readers may see (and stats call durable): forced bytes, or everything written. */
  default boolean readersSeeWritten() {
    return false;
  }

  /**
   * Segments are zero-filled in forced steps and forced before use, so that later forces of the
   * segment carry no allocation work.
   */
  default boolean forcesPreparedSegments() {
    return true;
  }

  /**
   * With {@link WalConfig#preallocate}, segments are zero-filled ahead of the writer (see {@link
   * SegmentPreparer}): worth it where appends are forced as they come, whose fdatasyncs then carry
   * no block allocation. A rule that forces only on request, a seal or a background force of many
   * MiB at once has nothing to gain from it, and its appenders would pay for it.
   */
  default boolean zeroFillsAhead() {
    return true;
  }

  /**
   * Written bytes of the active segment are forced in the background as they accumulate, so that
   * the force sealing a full segment (which the next segment waits for) finds little left to do.
   * For a rule that forces only on request: the others force often enough themselves.
   */
  default boolean forcesBehind() {
    return false;
  }

  /**
   * Staged bytes that wake a lingering writer before its linger is up. Each round costs the
   * appenders a lock hand-off or three and a thread wake-up, so a rule that nobody waits on between
   * syncs takes larger rounds.
   */
  default int wakeBytes() {
    return Staging.WAKE_BYTES;
  }

  /** Every append wakes an idle writer at once (no lingering for more bytes). */
  default boolean wakesWriterOnEveryAppend() {
    return false;
  }

  /**
   * A synchronous appender that finds no commit in flight commits its own round on its own thread
   * (see {@link Staging}): no hand-off to the writer task and back, which costs a lone appender two
   * thread wake-ups (20–40 µs on a small VM) per force.
   */
  default boolean appendersLead() {
    return false;
  }

  /**
   * Appenders that are acknowledged before their force wait while the oldest acknowledged but
   * unforced append is older than the rule allows.
   */
  default boolean holdsAppenders(long unforcedSinceNanos, boolean unforced) {
    return false;
  }

  /** The writer must start a round now, whatever else is staged. */
  default boolean roundDue(long now, boolean hasData, boolean unforced, long unforcedSinceNanos) {
    return false;
  }

  /** How long an idle writer may sleep before this rule makes a round due (MAX_VALUE: forever). */
  default long nanosUntilDue(long now, boolean unforced, long unforcedSinceNanos) {
    return Long.MAX_VALUE;
  }

  /** Whether the round taken at {@code takeNanos} ends with a force. */
  default boolean forcesRound(long takeNanos, long unforcedSinceNanos) {
    return false;
  }

  /** Every append is forced before it is acknowledged; the writer forces every round. */
  enum Always implements CommitRule {
    RULE;

    @Override
    public boolean acknowledgesAfterForce() {
      return true;
    }

    @Override
    public boolean wakesWriterOnEveryAppend() {
      return true;
    }

    @Override
    public boolean appendersLead() {
      return true;
    }

    @Override
    public boolean roundDue(long now, boolean hasData, boolean unforced, long unforcedSinceNanos) {
      return hasData || unforced;
    }

    @Override
    public boolean forcesRound(long takeNanos, long unforcedSinceNanos) {
      return true;
    }
  }

  /**
   * A force is due {@code window} after the oldest unforced append, and appenders are held back
   * once that append is older than the window (the window's promise holds when forces are slow).
   */
  record Batch(long windowNanos) implements CommitRule {
    private boolean windowPassed(long now, long unforcedSinceNanos) {
      return unforcedSinceNanos != 0 && now - unforcedSinceNanos >= windowNanos;
    }

    @Override
    public boolean holdsAppenders(long unforcedSinceNanos, boolean unforced) {
      // The clock only when it can matter: os() and always() appends never read it here.
      return unforced
          && unforcedSinceNanos != 0
          && System.nanoTime() - unforcedSinceNanos >= windowNanos;
    }

    @Override
    public boolean roundDue(long now, boolean hasData, boolean unforced, long unforcedSinceNanos) {
      return unforced && windowPassed(now, unforcedSinceNanos);
    }

    @Override
    public long nanosUntilDue(long now, boolean unforced, long unforcedSinceNanos) {
      return unforced && unforcedSinceNanos != 0
          ? unforcedSinceNanos + windowNanos - now
          : Long.MAX_VALUE;
    }

    @Override
    public boolean forcesRound(long takeNanos, long unforcedSinceNanos) {
      return windowPassed(takeNanos, unforcedSinceNanos);
    }
  }

  /**
   * Bytes go to the OS a moment after they are staged and are forced only on request or close;
   * readers see them once written.
   */
  enum Os implements CommitRule {
    RULE;

    @Override
    public boolean asyncWaitsForForce() {
      return false;
    }

    @Override
    public boolean readersSeeWritten() {
      return true;
    }

    @Override
    public boolean forcesPreparedSegments() {
      return false;
    }

    @Override
    public boolean zeroFillsAhead() {
      // Measured with OsBufferedBenchmark, three rounds (wal-benchmarks/RESULTS.md): without the
      // zeros ahead one appender made 8.6-9.5 M appends/s of 100 B against 7.2-7.4 M with them,
      // and 0.70-0.85 M/s of 1 KiB against 0.62-0.71 M: the zero writes take a share of a small
      // machine's cores and of the page cache while nothing here forces record by record.
      return false;
    }

    @Override
    public boolean forcesBehind() {
      return true;
    }

    @Override
    public int wakeBytes() {
      return 4 * Staging.WAKE_BYTES; // 256 KiB: 7-15% more appends/s than 64 KiB on one appender
    }
  }
}
