package dev.noriwal.jmx;

import dev.noriwal.CorruptLogException;
import dev.noriwal.RecoveryInfo;
import dev.noriwal.RecoveryMode;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalEvent;
import dev.noriwal.WalListener;
import dev.noriwal.WalState;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;

/**
 * One log registered with a {@link WalService}: its configuration, the current {@link Wal} (or the
 * reason it is not open), the {@link SharedWal} handle given to callers, metrics fed by the log's
 * events ({@link LogMetrics}), its notifications ({@link LogNotifications}) and its MXBean ({@link
 * LogView}). This class is the lifecycle: open, close, recover, and routing the log's events.
 *
 * <p>Thread-safe: lifecycle changes (open, close, recover) are serialized on this object; attribute
 * reads use volatile fields and never block on them.
 */
final class ManagedLog {
  private static final System.Logger LOG = System.getLogger(ManagedLog.class.getName());

  private final String name;
  private final ObjectName objectName;
  private final LogNotifications notifications;
  private final LogMetrics metrics = new LogMetrics();
  private final LogView view = new LogView(this);
  private final SharedWal handle;
  private final WalListener listener = this::onEvent;

  private volatile WalConfig config;
  private volatile @Nullable Wal wal;
  private volatile @Nullable Throwable openFailure;
  private volatile boolean closed = true;
  private volatile @Nullable RecoveryInfo lastRecovery;
  // Set by events raised inside Wal.open, read after it returns or throws (same thread).
  private volatile boolean sawRecovery;
  private volatile boolean sawCorruption;

  ManagedLog(String name, ObjectName objectName, WalConfig config) {
    this.name = name;
    this.objectName = objectName;
    this.config = config;
    this.notifications = new LogNotifications(name, objectName);
    this.handle = new SharedWal(this);
  }

  ObjectName objectName() {
    return objectName;
  }

  String name() {
    return name;
  }

  NotificationBroadcasterSupport emitter() {
    return notifications.emitter();
  }

  LogNotifications notifications() {
    return notifications;
  }

  LogMetrics metrics() {
    return metrics;
  }

  /** The MXBean registered for this log. */
  LogView view() {
    return view;
  }

  @Nullable RecoveryInfo lastRecovery() {
    return lastRecovery;
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

  WalState state() {
    Wal w = wal;
    if (w != null) {
      return w.state() == WalState.FAILED ? WalState.FAILED : WalState.OPEN;
    }
    return closed ? WalState.CLOSED : WalState.FAILED;
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
      metrics.reset();
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
        notifications.corruption(
            cfg.directory(),
            "corruption: " + c.getMessage(),
            c.segment(),
            c.offset(),
            -1,
            c.reason().name(),
            String.valueOf(c.getMessage()));
      }
      notifications.failed(cfg.directory(), "failed to open: " + e.getMessage(), e);
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
      metrics.fsync(nanos);
      FlightRecorder.INSTANCE.fsync(name, f, nanos);
    } else if (e instanceof WalEvent.SegmentRotated r) {
      FlightRecorder.INSTANCE.rotation(name, r);
      notifications.rotated(r);
    } else if (e instanceof WalEvent.SegmentDeleted d) {
      notifications.deleted(d);
    } else if (e instanceof WalEvent.CorruptionDetected c) {
      sawCorruption = true;
      notifications.corruption(c.directory(), c.damage());
    } else if (e instanceof WalEvent.LogFailed f) {
      notifications.failed(f.directory(), "stopped: " + f.cause(), f.cause());
    } else if (e instanceof WalEvent.RecoveryCompleted rc) {
      sawRecovery = true;
      recovered(rc.info());
    }
  }

  private void recovered(RecoveryInfo info) {
    lastRecovery = info;
    FlightRecorder.INSTANCE.recovery(name, info);
    notifications.recovered(config.directory(), info);
  }

  static String describe(Throwable t) {
    return t.getClass().getName() + ": " + t.getMessage();
  }
}
