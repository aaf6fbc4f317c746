package dev.noriwal.jmx;

import dev.noriwal.Damage;
import dev.noriwal.RecoveryInfo;
import dev.noriwal.WalEvent;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

/**
 * The JMX notifications of one log ({@link WalNotifications} types): built from the log's events,
 * with the log's ObjectName as source and open-type user data, so a remote client needs none of our
 * classes. Thread-safe.
 */
final class LogNotifications {
  private static final System.Logger LOG = System.getLogger(LogNotifications.class.getName());

  static final MBeanNotificationInfo[] INFO = {
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

  private final String name;
  private final ObjectName source;
  private final NotificationBroadcasterSupport emitter = new NotificationBroadcasterSupport(INFO);
  private final AtomicLong sequence = new AtomicLong();

  LogNotifications(String name, ObjectName source) {
    this.name = name;
    this.source = source;
  }

  NotificationBroadcasterSupport emitter() {
    return emitter;
  }

  void rotated(WalEvent.SegmentRotated r) {
    send(
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
  }

  void deleted(WalEvent.SegmentDeleted d) {
    send(
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
  }

  void corruption(Path dir, Damage d) {
    corruption(dir, d.toString(), d.segment(), d.offset(), d.length(), d.kind().name(), d.detail());
  }

  void corruption(
      Path dir, String what, String segment, long offset, long length, String kind, String detail) {
    send(
        WalNotifications.CORRUPTION_DETECTED,
        "Log '" + name + "': " + what,
        data(
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
            String.valueOf(detail)));
  }

  void failed(Path dir, String message, Throwable cause) {
    send(
        WalNotifications.LOG_FAILED,
        "Log '" + name + "' " + message,
        data(
            "dev.noriwal.LogFailed",
            "directory",
            dir.toString(),
            "cause",
            ManagedLog.describe(cause)));
  }

  void recovered(Path dir, RecoveryInfo info) {
    send(
        WalNotifications.RECOVERY_COMPLETED,
        "Log '" + name + "' recovered (" + info.mode() + "): " + info.action(),
        data(
            "dev.noriwal.RecoveryCompleted",
            "directory",
            dir.toString(),
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

  private void send(String type, String message, CompositeData userData) {
    // The ObjectName is the source: a remote client cannot deserialize anything else.
    Notification n =
        new Notification(
            type, source, sequence.incrementAndGet(), System.currentTimeMillis(), message);
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
}
