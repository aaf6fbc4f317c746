package dev.noriwal.jmx;

/**
 * Types of the JMX notifications emitted by {@code dev.noriwal:type=Log} MBeans. Every notification
 * has the log's {@code ObjectName} as its source and a {@code CompositeData} as user data (items
 * listed per type), so any JMX client can read them without project classes.
 */
public final class WalNotifications {
  /** A segment was sealed. Items: directory, sealedSegmentId, sealedSize, newSegmentId. */
  public static final String SEGMENT_ROTATED = "dev.noriwal.segment.rotated";

  /** A sealed segment was deleted. Items: directory, segmentId, size. */
  public static final String SEGMENT_DELETED = "dev.noriwal.segment.deleted";

  /**
   * Recovery, verification or a reader found damage. Items: directory, segment, offset, length,
   * kind, detail.
   */
  public static final String CORRUPTION_DETECTED = "dev.noriwal.corruption.detected";

  /** The log failed to open or stopped after a failed write or force. Items: directory, cause. */
  public static final String LOG_FAILED = "dev.noriwal.log.failed";

  /**
   * Opening (or {@code recover}) finished recovery. Items: directory, mode, action, validRecords,
   * bytesTruncated, bytesQuarantined, damageCount, endPosition, durationMillis.
   */
  public static final String RECOVERY_COMPLETED = "dev.noriwal.recovery.completed";

  private WalNotifications() {}
}
