package dev.noriwal;

import java.nio.file.Path;
import java.time.Duration;

/** Something that happened to a log, delivered to {@link WalListener}s. */
public sealed interface WalEvent {

  /** The log directory the event is about. */
  Path directory();

  /** A segment was sealed (trimmed and forced) and a new one became active. */
  record SegmentRotated(Path directory, long sealedSegmentId, long sealedSize, long newSegmentId)
      implements WalEvent {}

  /** A sealed segment was deleted by {@link Wal#deleteSegmentsBefore}. */
  record SegmentDeleted(Path directory, long segmentId, long size) implements WalEvent {}

  /** A force of the active segment completed. */
  record FsyncCompleted(Path directory, long segmentId, Duration duration, long bytes, int records)
      implements WalEvent {}

  /** Recovery, verification or a reader found damage. */
  record CorruptionDetected(Path directory, Damage damage) implements WalEvent {}

  /** The log stopped after a failed write or force; {@code cause} is the first failure. */
  record LogFailed(Path directory, Throwable cause) implements WalEvent {}

  /** Recovery finished inside {@link Wal#open}. */
  record RecoveryCompleted(Path directory, RecoveryInfo info) implements WalEvent {}
}
