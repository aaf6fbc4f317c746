package dev.noriwal.jmx;

import javax.management.MBeanOperationInfo;
import javax.management.openmbean.TabularData;
import org.jspecify.annotations.Nullable;

/**
 * Management view of one log, registered as {@code
 * dev.noriwal:type=Log[,instance=<id>],name=<log>}. Open types only, so any JMX client reads it
 * without project classes. Attributes of a log that is not open read as 0, -1 or an empty string.
 * Operations throw {@link IllegalStateException} with a message (never an engine exception, which a
 * remote client could not deserialize).
 */
@Description(
    "A nori-wal write-ahead log: size, health, fsync latency; rotate, flush, recover, trim")
public interface LogMXBean {

  @Description("Name under which the log is registered with the WalService")
  String getName();

  @Description("Directory holding the segment files")
  String getDirectory();

  @Description("Fsync policy: always, os, or batch:<window>")
  String getFsyncPolicy();

  @Description("Size in bytes after which a new segment is started")
  long getMaxSegmentSize();

  @Description("Recovery mode the log was configured with")
  String getRecoveryMode();

  @Description("OPEN, FAILED (failed to open or stopped after an I/O error) or CLOSED")
  String getState();

  @Description(
      "For a FAILED log: the cause, naming segment file and offset for corruption; else empty")
  String getFailure();

  @Description("For a log that failed on corruption: the damaged segment file; else empty")
  String getFailureSegment();

  @Description("For a log that failed on corruption: byte offset of the damage; else -1")
  long getFailureOffset();

  @Description("Number of segment files")
  int getSegmentCount();

  @Description("Id of the segment being written, or -1 when not open")
  long getActiveSegment();

  @Description("Logical bytes of all segments")
  long getBytesOnDisk();

  @Description("Position (segment:offset) the next record will get")
  String getCurrentPosition();

  @Description("Everything before this position (segment:offset) is durable")
  String getDurablePosition();

  @Description("Records appended since the log was opened")
  long getRecordsAppended();

  @Description("Encoded bytes appended since the log was opened")
  long getBytesAppended();

  @Description(
      "Records appended per second, over the time since this attribute was last read"
          + " (at least one second), or since open on the first read")
  double getAppendsPerSecond();

  @Description("Segment rotations since the log was opened")
  long getRotations();

  @Description(
      "Bytes appended but not yet handed to the operating system (appenders wait when it reaches"
          + " 16 MiB)")
  long getQueuedBytes();

  @Description(
      "Bytes appended but not yet covered by a force: what a power loss could take now (the"
          + " exposure of batch and os policies)")
  long getUnforcedBytes();

  @Description(
      "Age in milliseconds of the oldest appended byte not yet forced (0 if none); batch(window)"
          + " holds appenders back once this passes the window")
  long getOldestUnforcedAgeMillis();

  @Description("Forces (fsync) of segment data since the log was opened")
  long getFsyncCount();

  @Description("Median fsync latency in microseconds since the log was opened")
  double getFsyncLatencyP50Micros();

  @Description("99th percentile fsync latency in microseconds since the log was opened")
  double getFsyncLatencyP99Micros();

  @Description("Longest fsync in microseconds since the log was opened")
  double getFsyncLatencyMaxMicros();

  @Description(
      "The last recovery (open or recover operation), field by field: mode, verdict, action,"
          + " segments scanned, records, record bytes, free bytes, what was truncated or quarantined"
          + " and where, duration; empty before the first open")
  @Nullable RecoveryReport getLastRecovery();

  @Description("The last recovery (open or recover operation) as text, one line per field")
  String getLastRecoveryReport();

  @Description(
      "Seals the active segment and starts a new one; returns what happened: the new active"
          + " segment, or why nothing was rotated (an empty active segment has nothing to seal)")
  String rotate();

  @Description("Forces everything appended so far to disk now; returns the durable position")
  String flush();

  @Description(
      "Closes the log and reopens it with the given recovery mode; returns the recovery"
          + " report. Use POINT_IN_TIME to bring back a log that failed on corruption")
  String recover(
      @Description(
              "TOLERATE_TORN_TAIL, POINT_IN_TIME (cut at the first damage, quarantine the rest)"
                  + " or SALVAGE (keep every valid record)")
          String mode);

  @Description(
      value = "Scans the log read-only and returns what recovery would find",
      impact = MBeanOperationInfo.INFO)
  String verify();

  @Description(
      "Deletes every sealed segment with an id below the given one, except those a retention"
          + " claim still needs (e.g. a Kafka relay that has not published them); returns how many"
          + " were deleted and who kept the rest")
  String deleteSegmentsBefore(
      @Description("Segments with an id below this one are deleted (the active one never is)")
          long segmentId);

  @Description(
      value = "The segments: id, file name, size, sealed, first and end position",
      impact = MBeanOperationInfo.INFO)
  TabularData listSegments();
}
