package dev.noriwal.jmx;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/** JDK Flight Recorder event: a log forced its active segment. */
@Name("dev.noriwal.Fsync")
@Label("WAL Fsync")
@Category({"nori-wal"})
@Description("A force (fsync) of a write-ahead log segment completed")
public final class FsyncEvent extends jdk.jfr.Event {
  @Label("Log")
  public @Nullable String log;

  @Label("Segment")
  public long segmentId;

  @Label("Fsync Duration")
  @Timespan(Timespan.NANOSECONDS)
  public long fsyncDuration;

  @Label("Bytes")
  @DataAmount
  public long bytes;

  // The engine's FsyncCompleted.records is given the number of staged chunks, not of records;
  // labelled for what it is until the engine counts records.
  @Label("Staged Chunks")
  @Description("Staged write chunks this force covered (a chunk holds one or more records)")
  public int chunks;
}
