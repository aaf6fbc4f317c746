package dev.noriwal.jmx;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import org.jspecify.annotations.Nullable;

/** JDK Flight Recorder event: a log sealed a segment and started a new one. */
@Name("dev.noriwal.Rotation")
@Label("WAL Segment Rotation")
@Category({"nori-wal"})
@Description("A write-ahead log sealed its active segment and started a new one")
public final class RotationEvent extends jdk.jfr.Event {
  @Label("Log")
  public @Nullable String log;

  @Label("Sealed Segment")
  public long sealedSegmentId;

  @Label("Sealed Size")
  @DataAmount
  public long sealedSize;

  @Label("New Segment")
  public long newSegmentId;
}
