package dev.noriwal.jmx;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/** JDK Flight Recorder event: a log finished recovery while opening. */
@Name("dev.noriwal.Recovery")
@Label("WAL Recovery")
@Category({"nori-wal"})
@Description("A write-ahead log finished recovery while opening")
public final class RecoveryEvent extends jdk.jfr.Event {
  @Label("Log")
  public @Nullable String log;

  @Label("Mode")
  public @Nullable String mode;

  @Label("Action")
  public @Nullable String action;

  @Label("Valid Records")
  public long validRecords;

  @Label("Bytes Truncated")
  @DataAmount
  public long bytesTruncated;

  @Label("Bytes Quarantined")
  @DataAmount
  public long bytesQuarantined;

  @Label("Damage Count")
  public int damageCount;

  @Label("Recovery Duration")
  @Timespan(Timespan.NANOSECONDS)
  public long recoveryDuration;
}
