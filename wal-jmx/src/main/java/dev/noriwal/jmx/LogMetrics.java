package dev.noriwal.jmx;

import dev.noriwal.WalStats;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * What the MXBean shows beyond {@link WalStats}: fsync latency percentiles from an HdrHistogram
 * {@link Recorder} fed by the log's events, and the append rate over about the last second.
 * Thread-safe: the recorder takes values from the log's threads without locking; reads are
 * serialized on this object.
 */
final class LogMetrics {
  private final Recorder fsyncRecorder = new Recorder(3);

  private Histogram fsyncTotal = new Histogram(3); // guarded by this
  private long rateNanos; // guarded by this
  private long rateRecords; // guarded by this
  private double rate; // guarded by this
  private long openedNanos; // guarded by this

  /** Starts afresh for a log just opened. */
  synchronized void reset() {
    fsyncRecorder.reset();
    fsyncTotal = new Histogram(3);
    openedNanos = System.nanoTime();
    rateNanos = 0;
    rate = 0;
  }

  void fsync(long nanos) {
    fsyncRecorder.recordValue(nanos);
  }

  /** Appends per second: since opening at first, then over the last second or more. */
  synchronized double appendsPerSecond(@Nullable WalStats s) {
    if (s == null) {
      return 0;
    }
    long now = System.nanoTime();
    if (rateNanos == 0) {
      long elapsed = Math.max(1, now - openedNanos);
      rate = s.recordsAppended() * 1e9 / elapsed;
      rateNanos = now;
      rateRecords = s.recordsAppended();
    } else if (now - rateNanos >= 1_000_000_000L) {
      rate = (s.recordsAppended() - rateRecords) * 1e9 / (now - rateNanos);
      rateNanos = now;
      rateRecords = s.recordsAppended();
    }
    return rate;
  }

  synchronized double fsyncPercentileMicros(double percentile) {
    return histogram().getValueAtPercentile(percentile) / 1000.0;
  }

  /** The largest fsync seen; the engine's exact maximum wins over the histogram's bucket. */
  synchronized double fsyncMaxMicros(@Nullable WalStats s) {
    long max = histogram().getMaxValue();
    if (s != null) {
      max = Math.max(max, s.fsyncMaxNanos());
    }
    return max / 1000.0;
  }

  private Histogram histogram() {
    fsyncTotal.add(fsyncRecorder.getIntervalHistogram());
    return fsyncTotal;
  }
}
