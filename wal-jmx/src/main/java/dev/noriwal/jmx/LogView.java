package dev.noriwal.jmx;

import dev.noriwal.CorruptLogException;
import dev.noriwal.Position;
import dev.noriwal.RecoveryInfo;
import dev.noriwal.RecoveryMode;
import dev.noriwal.SegmentDeletion;
import dev.noriwal.SegmentInfo;
import dev.noriwal.Wal;
import dev.noriwal.WalStats;
import java.io.IOException;
import java.util.Locale;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LogMXBean} of one {@link ManagedLog}: attributes read from {@link WalStats}, the
 * configuration and {@link LogMetrics}; operations that turn failures into plain JDK exceptions a
 * remote client can read. Thread-safe; reads never block on the log's lifecycle.
 */
final class LogView implements LogMXBean {
  private static final CompositeType SEGMENT_ROW;
  static final TabularType SEGMENT_TABLE;

  static {
    try {
      SEGMENT_ROW =
          new CompositeType(
              "dev.noriwal.Segment",
              "One segment file",
              new String[] {"id", "fileName", "size", "sealed", "firstPosition", "endPosition"},
              new String[] {
                "Segment id",
                "File name",
                "Logical bytes of records",
                "False only for the active segment",
                "Position of the segment's first record (segment:offset)",
                "Position just after its last record, where the next record would go"
              },
              new OpenType<?>[] {
                SimpleType.LONG,
                SimpleType.STRING,
                SimpleType.LONG,
                SimpleType.BOOLEAN,
                SimpleType.STRING,
                SimpleType.STRING
              });
      SEGMENT_TABLE =
          new TabularType(
              "dev.noriwal.Segments", "Segments, oldest first", SEGMENT_ROW, new String[] {"id"});
    } catch (OpenDataException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ManagedLog log;

  LogView(ManagedLog log) {
    this.log = log;
  }

  private @Nullable WalStats statsOrNull() {
    Wal w = log.wal();
    if (w == null) {
      return null;
    }
    try {
      return w.stats();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private Wal requireOpen() {
    Wal w = log.wal();
    if (w == null) {
      Throwable failure = log.failure();
      throw new IllegalStateException(
          "log '"
              + log.name()
              + "' is "
              + log.state()
              + (failure == null ? "" : ": " + ManagedLog.describe(failure)));
    }
    return w;
  }

  private static IllegalStateException failed(String what, Exception e) {
    // Plain JDK exception with the text only: engine exception classes would not deserialize in
    // a remote client without our jar.
    return new IllegalStateException(what + " failed: " + ManagedLog.describe(e));
  }

  @Override
  public String getName() {
    return log.name();
  }

  @Override
  public String getDirectory() {
    return log.config().directory().toString();
  }

  @Override
  public String getFsyncPolicy() {
    return log.config().fsyncPolicy().toString();
  }

  @Override
  public long getMaxSegmentSize() {
    return log.config().maxSegmentSize();
  }

  @Override
  public String getRecoveryMode() {
    return log.config().recoveryMode().name();
  }

  @Override
  public String getState() {
    return log.state().name();
  }

  @Override
  public String getFailure() {
    Throwable t = log.failure();
    return t == null ? "" : ManagedLog.describe(t);
  }

  @Override
  public String getFailureSegment() {
    return log.failure() instanceof CorruptLogException c ? c.segment() : "";
  }

  @Override
  public long getFailureOffset() {
    return log.failure() instanceof CorruptLogException c ? c.offset() : -1;
  }

  @Override
  public int getSegmentCount() {
    WalStats s = statsOrNull();
    return s == null ? 0 : s.segmentCount();
  }

  @Override
  public long getActiveSegment() {
    WalStats s = statsOrNull();
    return s == null ? -1 : s.activeSegmentId();
  }

  @Override
  public long getBytesOnDisk() {
    WalStats s = statsOrNull();
    return s == null ? 0 : s.bytesOnDisk();
  }

  @Override
  public String getCurrentPosition() {
    WalStats s = statsOrNull();
    return s == null ? "" : s.currentPosition().toString();
  }

  @Override
  public String getDurablePosition() {
    WalStats s = statsOrNull();
    return s == null ? "" : s.durablePosition().toString();
  }

  @Override
  public long getRecordsAppended() {
    WalStats s = statsOrNull();
    return s == null ? 0 : s.recordsAppended();
  }

  @Override
  public long getBytesAppended() {
    WalStats s = statsOrNull();
    return s == null ? 0 : s.bytesAppended();
  }

  @Override
  public double getAppendsPerSecond() {
    return log.metrics().appendsPerSecond(statsOrNull());
  }

  @Override
  public long getRotations() {
    WalStats s = statsOrNull();
    return s == null ? 0 : s.rotations();
  }

  @Override
  public long getQueuedBytes() {
    WalStats s = statsOrNull();
    return s == null ? 0 : s.queuedBytes();
  }

  @Override
  public long getUnforcedBytes() {
    WalStats s = statsOrNull();
    return s == null ? 0 : s.unforcedBytes();
  }

  @Override
  public long getOldestUnforcedAgeMillis() {
    WalStats s = statsOrNull();
    return s == null
        ? 0
        : java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(s.oldestUnforcedAgeNanos());
  }

  @Override
  public long getFsyncCount() {
    WalStats s = statsOrNull();
    return s == null ? 0 : s.fsyncCount();
  }

  @Override
  public double getFsyncLatencyP50Micros() {
    return log.metrics().fsyncPercentileMicros(50);
  }

  @Override
  public double getFsyncLatencyP99Micros() {
    return log.metrics().fsyncPercentileMicros(99);
  }

  @Override
  public double getFsyncLatencyMaxMicros() {
    return log.metrics().fsyncMaxMicros(statsOrNull());
  }

  @Override
  public @Nullable RecoveryReport getLastRecovery() {
    RecoveryInfo r = log.lastRecovery();
    return r == null ? null : RecoveryReport.of(r);
  }

  @Override
  public String getLastRecoveryReport() {
    RecoveryInfo r = log.lastRecovery();
    return r == null ? "" : r.report();
  }

  @Override
  public String rotate() {
    Wal w = requireOpen();
    try {
      long before = w.stats().activeSegmentId();
      w.rotate();
      long after = w.stats().activeSegmentId();
      return after == before
          ? "not rotated: the active segment "
              + before
              + " holds no records yet, so there is nothing to seal"
          : "rotated: segment " + before + " sealed; the active segment is now " + after;
    } catch (IOException e) {
      throw failed("rotate of log '" + log.name() + "'", e);
    }
  }

  @Override
  public String flush() {
    Wal w = requireOpen();
    try {
      w.sync();
      return w.stats().durablePosition().toString();
    } catch (IOException e) {
      throw failed("flush of log '" + log.name() + "'", e);
    }
  }

  @Override
  public String recover(String mode) {
    RecoveryMode m;
    try {
      m = RecoveryMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "mode must be TOLERATE_TORN_TAIL, POINT_IN_TIME or SALVAGE: " + mode);
    }
    try {
      return log.recover(m).report();
    } catch (IOException | RuntimeException e) {
      throw failed("recover(" + m + ") of log '" + log.name() + "'", e);
    }
  }

  @Override
  public String verify() {
    try {
      RecoveryInfo info = Wal.verify(log.config().directory());
      info.firstCorruption()
          .ifPresent(d -> log.notifications().corruption(log.config().directory(), d));
      return info.report();
    } catch (IOException e) {
      throw failed("verify of log '" + log.name() + "'", e);
    }
  }

  @Override
  public String deleteSegmentsBefore(long segmentId) {
    Wal w = requireOpen();
    try {
      SegmentDeletion d = w.deleteSegmentsBefore(new Position(segmentId, 0));
      String done = "deleted " + d.deleted() + " segment(s) before segment " + segmentId;
      return d.held()
          ? done + "; kept the segments from " + d.appliedBefore() + " on for " + d.heldBy()
          : done;
    } catch (IOException | IllegalArgumentException e) {
      throw failed("deleteSegmentsBefore(" + segmentId + ") of log '" + log.name() + "'", e);
    }
  }

  @Override
  public TabularData listSegments() {
    TabularDataSupport table = new TabularDataSupport(SEGMENT_TABLE);
    Wal w = log.wal();
    if (w == null) {
      return table;
    }
    try {
      for (SegmentInfo s : w.segments()) {
        table.put(
            new CompositeDataSupport(
                SEGMENT_ROW,
                new String[] {"id", "fileName", "size", "sealed", "firstPosition", "endPosition"},
                new Object[] {
                  s.id(),
                  s.fileName(),
                  s.size(),
                  s.sealed(),
                  new Position(s.id(), 0).toString(),
                  new Position(s.id(), s.size()).toString()
                }));
      }
    } catch (OpenDataException e) {
      throw new IllegalStateException("cannot build segment table", e);
    }
    return table;
  }
}
