package dev.noriwal.jmx;

import dev.noriwal.RecoveryInfo;
import dev.noriwal.WalEvent;

/** Commits {@link FsyncEvent}, {@link RotationEvent} and {@link RecoveryEvent}. Thread-safe. */
final class JfrRecorder implements FlightRecorder {
  @Override
  public void fsync(String log, WalEvent.FsyncCompleted f, long nanos) {
    FsyncEvent jfr = new FsyncEvent();
    if (jfr.shouldCommit()) {
      jfr.log = log;
      jfr.segmentId = f.segmentId();
      jfr.fsyncDuration = nanos;
      jfr.bytes = f.bytes();
      jfr.chunks = f.records();
      jfr.commit();
    }
  }

  @Override
  public void rotation(String log, WalEvent.SegmentRotated r) {
    RotationEvent jfr = new RotationEvent();
    if (jfr.shouldCommit()) {
      jfr.log = log;
      jfr.sealedSegmentId = r.sealedSegmentId();
      jfr.sealedSize = r.sealedSize();
      jfr.newSegmentId = r.newSegmentId();
      jfr.commit();
    }
  }

  @Override
  public void recovery(String log, RecoveryInfo info) {
    RecoveryEvent jfr = new RecoveryEvent();
    if (jfr.shouldCommit()) {
      jfr.log = log;
      jfr.mode = info.mode().name();
      jfr.action = info.action().name();
      jfr.validRecords = info.validRecords();
      jfr.bytesTruncated = info.bytesTruncated();
      jfr.bytesQuarantined = info.bytesQuarantined();
      jfr.damageCount = info.damage().size();
      jfr.recoveryDuration = info.duration().toNanos();
      jfr.commit();
    }
  }
}
