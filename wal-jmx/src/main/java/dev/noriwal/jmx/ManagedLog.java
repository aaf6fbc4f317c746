package dev.noriwal.jmx;

import dev.noriwal.CorruptLogException;
import dev.noriwal.Damage;
import dev.noriwal.Position;
import dev.noriwal.RecoveryInfo;
import dev.noriwal.RecoveryMode;
import dev.noriwal.SegmentInfo;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalEvent;
import dev.noriwal.WalListener;
import dev.noriwal.WalState;
import dev.noriwal.WalStats;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * One log registered with a {@link WalService}: its configuration, the current {@link Wal} (or the
 * reason it is not open), the {@link SharedWal} handle given to callers, metrics fed by the log's
 * events, and the {@link LogMXBean} view.
 *
 * <p>Thread-safe: lifecycle changes (open, close, recover) are serialized on this object; attribute
 * reads use volatile fields and never block on them.
 */
final class ManagedLog implements LogMXBean {
  private static final System.Logger LOG = System.getLogger(ManagedLog.class.getName());

  static final MBeanNotificationInfo[] NOTIFICATIONS = {
    new MBeanNotificationInfo(
        new String[] {WalNotifications.SEGMENT_ROTATED},
        Notification.class.getName(),
        "A segment was sealed and a new one started"),
    new MBeanNotificationInfo(
        new String[] {WalNotifications.SEGMENT_DELETED},
        Notification.class.getName(),
        "A sealed segment was deleted"),
    new MBeanNotificationInfo(
        new String[] {WalNotifications.CORRUPTION_DETECTED},
        Notification.class.getName(),
        "Recovery or verification found damage (segment, offset, kind)"),
    new MBeanNotificationInfo(
        new String[] {WalNotifications.LOG_FAILED},
        Notification.class.getName(),
        "The log failed to open or stopped after a failed write or force"),
    new MBeanNotificationInfo(
        new String[] {WalNotifications.RECOVERY_COMPLETED},
        Notification.class.getName(),
        "Recovery finished while opening the log"),
  };

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

  private final String name;
  private final ObjectName objectName;
  private final NotificationBroadcasterSupport emitter =
      new NotificationBroadcasterSupport(NOTIFICATIONS);
  private final AtomicLong sequence = new AtomicLong();
  private final SharedWal handle;
  private final WalListener listener = this::onEvent;
  private final Recorder fsyncRecorder = new Recorder(3);
  private final Object metricsLock = new Object();

  private volatile WalConfig config;
  private volatile @Nullable Wal wal;
  private volatile @Nullable Throwable openFailure;
  private volatile boolean closed = true;
  private volatile @Nullable RecoveryInfo lastRecovery;
  // Set by events raised inside Wal.open, read after it returns or throws (same thread).
  private volatile boolean sawRecovery;
  private volatile boolean sawCorruption;

  private Histogram fsyncTotal = new Histogram(3); // guarded by metricsLock
  private long rateNanos; // guarded by metricsLock
  private long rateRecords; // guarded by metricsLock
  private double rate; // guarded by metricsLock
  private long openedNanos; // guarded by metricsLock

  ManagedLog(String name, ObjectName objectName, WalConfig config) {
    this.name = name;
    this.objectName = objectName;
    this.config = config;
    this.handle = new SharedWal(this);
  }

  ObjectName objectName() {
    return objectName;
  }

  NotificationBroadcasterSupport emitter() {
    return emitter;
  }

  SharedWal handle() {
    return handle;
  }

  WalConfig config() {
    return config;
  }

  /** The open log, or null when closed or failed to open. */
  @Nullable Wal wal() {
    return wal;
  }

  Path directory() {
    return WalService.key(config.directory());
  }

  LogState state() {
    Wal w = wal;
    if (w != null) {
      return w.state() == WalState.FAILED ? LogState.FAILED : LogState.OPEN;
    }
    return closed ? LogState.CLOSED : LogState.FAILED;
  }

  @Nullable Throwable failure() {
    Wal w = wal;
    if (w != null) {
      return w.failure().orElse(null);
    }
    return closed ? null : openFailure;
  }

  /** Opens the log if it is not open (a failed or closed one is retried with {@code cfg}). */
  synchronized void open(WalConfig cfg) throws IOException {
    if (wal != null) {
      return;
    }
    config = cfg;
    openWith(cfg);
  }

  private void openWith(WalConfig cfg) throws IOException {
    sawRecovery = false;
    sawCorruption = false;
    closed = false;
    try {
      Wal w = Wal.open(cfg.withListener(listener));
      synchronized (metricsLock) {
        fsyncRecorder.reset();
        fsyncTotal = new Histogram(3);
        openedNanos = System.nanoTime();
        rateNanos = 0;
        rate = 0;
      }
      openFailure = null;
      wal = w;
      handle.attached(w);
      if (!sawRecovery) {
        recovered(w.recoveryInfo());
      }
    } catch (IOException | RuntimeException | Error e) {
      openFailure = e;
      LOG.log(
          Level.WARNING,
          "nori-wal log '"
              + name
              + "' in "
              + cfg.directory()
              + " failed to open: "
              + e.getMessage());
      if (e instanceof CorruptLogException c && !sawCorruption) {
        notify(
            WalNotifications.CORRUPTION_DETECTED,
            "Corruption in log '" + name + "': " + c.getMessage(),
            corruptionData(
                cfg.directory(),
                c.segment(),
                c.offset(),
                -1,
                c.reason().name(),
                String.valueOf(c.getMessage())));
      }
      notify(
          WalNotifications.LOG_FAILED,
          "Log '" + name + "' failed to open: " + e.getMessage(),
          data(
              "dev.noriwal.LogFailed",
              "directory",
              cfg.directory().toString(),
              "cause",
              describe(e)));
      throw e;
    }
  }

  synchronized void close() throws IOException {
    Wal w = wal;
    wal = null;
    closed = true;
    openFailure = null;
    if (w != null) {
      handle.detached(w);
      w.close();
    }
  }

  synchronized RecoveryInfo recover(RecoveryMode mode) throws IOException {
    Wal w = wal;
    wal = null;
    if (w != null) {
      handle.detached(w);
      try {
        w.close();
      } catch (IOException e) {
        // A fenced log may refuse a clean close; reopening trusts only what is on disk anyway.
        LOG.log(Level.INFO, "closing log '" + name + "' before recovery failed: " + e.getMessage());
      }
    }
    openWith(config.withRecoveryMode(mode));
    Wal reopened = wal;
    if (reopened == null) {
      throw new IllegalStateException("log '" + name + "' was closed while it was recovered");
    }
    return reopened.recoveryInfo();
  }

  // ---- events ----

  private void onEvent(WalEvent e) {
    if (e instanceof WalEvent.FsyncCompleted f) {
      long nanos = Math.max(0, f.duration().toNanos());
      fsyncRecorder.recordValue(nanos);
      FlightRecorder.INSTANCE.fsync(name, f, nanos);
    } else if (e instanceof WalEvent.SegmentRotated r) {
      FlightRecorder.INSTANCE.rotation(name, r);
      notify(
          WalNotifications.SEGMENT_ROTATED,
          "Log '"
              + name
              + "' sealed segment "
              + r.sealedSegmentId()
              + ", now writing "
              + r.newSegmentId(),
          data(
              "dev.noriwal.SegmentRotated",
              "directory",
              r.directory().toString(),
              "sealedSegmentId",
              r.sealedSegmentId(),
              "sealedSize",
              r.sealedSize(),
              "newSegmentId",
              r.newSegmentId()));
    } else if (e instanceof WalEvent.SegmentDeleted d) {
      notify(
          WalNotifications.SEGMENT_DELETED,
          "Log '" + name + "' deleted segment " + d.segmentId(),
          data(
              "dev.noriwal.SegmentDeleted",
              "directory",
              d.directory().toString(),
              "segmentId",
              d.segmentId(),
              "size",
              d.size()));
    } else if (e instanceof WalEvent.CorruptionDetected c) {
      sawCorruption = true;
      Damage dm = c.damage();
      notify(
          WalNotifications.CORRUPTION_DETECTED,
          "Log '" + name + "': " + dm,
          corruptionData(
              c.directory(),
              dm.segment(),
              dm.offset(),
              dm.length(),
              dm.kind().name(),
              dm.detail()));
    } else if (e instanceof WalEvent.LogFailed f) {
      notify(
          WalNotifications.LOG_FAILED,
          "Log '" + name + "' stopped: " + f.cause(),
          data(
              "dev.noriwal.LogFailed",
              "directory",
              f.directory().toString(),
              "cause",
              describe(f.cause())));
    } else if (e instanceof WalEvent.RecoveryCompleted rc) {
      sawRecovery = true;
      recovered(rc.info());
    }
  }

  private void recovered(RecoveryInfo info) {
    lastRecovery = info;
    FlightRecorder.INSTANCE.recovery(name, info);
    notify(
        WalNotifications.RECOVERY_COMPLETED,
        "Log '" + name + "' recovered (" + info.mode() + "): " + info.action(),
        data(
            "dev.noriwal.RecoveryCompleted",
            "directory",
            config.directory().toString(),
            "mode",
            info.mode().name(),
            "action",
            info.action().name(),
            "validRecords",
            info.validRecords(),
            "bytesTruncated",
            info.bytesTruncated(),
            "bytesQuarantined",
            info.bytesQuarantined(),
            "damageCount",
            info.damage().size(),
            "endPosition",
            String.valueOf(info.endPosition()),
            "durationMillis",
            info.duration().toMillis()));
  }

  private CompositeData corruptionData(
      Path dir, String segment, long offset, long length, String kind, String detail) {
    return data(
        "dev.noriwal.CorruptionDetected",
        "directory",
        dir.toString(),
        "segment",
        String.valueOf(segment),
        "offset",
        offset,
        "length",
        length,
        "kind",
        kind,
        "detail",
        String.valueOf(detail));
  }

  private void notify(String type, String message, CompositeData userData) {
    // The ObjectName is the source: a remote client cannot deserialize anything else.
    Notification n =
        new Notification(
            type, objectName, sequence.incrementAndGet(), System.currentTimeMillis(), message);
    n.setUserData(userData);
    try {
      emitter.sendNotification(n);
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "a JMX notification listener failed", ex);
    }
  }

  /** A CompositeData from alternating item names and values (String, Long, Integer, Boolean). */
  static CompositeData data(String typeName, Object... namesAndValues) {
    int n = namesAndValues.length / 2;
    String[] names = new String[n];
    OpenType<?>[] types = new OpenType<?>[n];
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      names[i] = (String) namesAndValues[2 * i];
      Object v = namesAndValues[2 * i + 1];
      types[i] =
          v instanceof Long
              ? SimpleType.LONG
              : v instanceof Integer
                  ? SimpleType.INTEGER
                  : v instanceof Boolean ? SimpleType.BOOLEAN : SimpleType.STRING;
      values.put(names[i], v);
    }
    try {
      return new CompositeDataSupport(
          new CompositeType(typeName, typeName, names, names, types), values);
    } catch (OpenDataException e) {
      throw new IllegalStateException("bad notification data " + typeName, e);
    }
  }

  static String describe(Throwable t) {
    return t.getClass().getName() + ": " + t.getMessage();
  }

  // ---- LogMXBean ----

  private @Nullable WalStats statsOrNull() {
    Wal w = wal;
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
    Wal w = wal;
    if (w == null) {
      throw new IllegalStateException(
          "log '"
              + name
              + "' is "
              + state()
              + (failure() != null ? ": " + describe(failure()) : ""));
    }
    return w;
  }

  private static IllegalStateException failed(String what, Exception e) {
    // Plain JDK exception with the text only: engine exception classes would not deserialize in
    // a remote client without our jar.
    return new IllegalStateException(what + " failed: " + describe(e));
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getDirectory() {
    return config.directory().toString();
  }

  @Override
  public String getFsyncPolicy() {
    return config.fsyncPolicy().toString();
  }

  @Override
  public long getMaxSegmentSize() {
    return config.maxSegmentSize();
  }

  @Override
  public String getRecoveryMode() {
    return config.recoveryMode().name();
  }

  @Override
  public String getState() {
    return state().name();
  }

  @Override
  public String getFailure() {
    Throwable t = failure();
    return t == null ? "" : describe(t);
  }

  @Override
  public String getFailureSegment() {
    return failure() instanceof CorruptLogException c ? c.segment() : "";
  }

  @Override
  public long getFailureOffset() {
    return failure() instanceof CorruptLogException c ? c.offset() : -1;
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
    WalStats s = statsOrNull();
    if (s == null) {
      return 0;
    }
    long now = System.nanoTime();
    synchronized (metricsLock) {
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
  public long getFsyncCount() {
    WalStats s = statsOrNull();
    return s == null ? 0 : s.fsyncCount();
  }

  private Histogram fsyncHistogram() {
    synchronized (metricsLock) {
      fsyncTotal.add(fsyncRecorder.getIntervalHistogram());
      return fsyncTotal;
    }
  }

  @Override
  public double getFsyncLatencyP50Micros() {
    synchronized (metricsLock) {
      return fsyncHistogram().getValueAtPercentile(50) / 1000.0;
    }
  }

  @Override
  public double getFsyncLatencyP99Micros() {
    synchronized (metricsLock) {
      return fsyncHistogram().getValueAtPercentile(99) / 1000.0;
    }
  }

  @Override
  public double getFsyncLatencyMaxMicros() {
    WalStats s = statsOrNull();
    synchronized (metricsLock) {
      long max = fsyncHistogram().getMaxValue();
      if (s != null) {
        max = Math.max(max, s.fsyncMaxNanos()); // exact, unlike the histogram's bucket
      }
      return max / 1000.0;
    }
  }

  @Override
  public String getLastRecoveryReport() {
    RecoveryInfo r = lastRecovery;
    return r == null ? "" : r.report();
  }

  @Override
  public long rotate() {
    Wal w = requireOpen();
    try {
      w.rotate();
      return w.stats().activeSegmentId();
    } catch (IOException e) {
      throw failed("rotate of log '" + name + "'", e);
    }
  }

  @Override
  public String flush() {
    Wal w = requireOpen();
    try {
      w.sync();
      return w.stats().durablePosition().toString();
    } catch (IOException e) {
      throw failed("flush of log '" + name + "'", e);
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
      return recover(m).report();
    } catch (IOException | RuntimeException e) {
      throw failed("recover(" + m + ") of log '" + name + "'", e);
    }
  }

  @Override
  public String verify() {
    try {
      RecoveryInfo info = Wal.verify(config.directory());
      info.firstCorruption()
          .ifPresent(
              d ->
                  notify(
                      WalNotifications.CORRUPTION_DETECTED,
                      "Log '" + name + "': " + d,
                      corruptionData(
                          config.directory(),
                          d.segment(),
                          d.offset(),
                          d.length(),
                          d.kind().name(),
                          d.detail())));
      return info.report();
    } catch (IOException e) {
      throw failed("verify of log '" + name + "'", e);
    }
  }

  @Override
  public int deleteSegmentsBefore(long segmentId) {
    Wal w = requireOpen();
    try {
      return w.deleteSegmentsBefore(new Position(segmentId, 0)).deleted();
    } catch (IOException | IllegalArgumentException e) {
      throw failed("deleteSegmentsBefore(" + segmentId + ") of log '" + name + "'", e);
    }
  }

  @Override
  public TabularData listSegments() {
    TabularDataSupport table = new TabularDataSupport(SEGMENT_TABLE);
    Wal w = wal;
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
