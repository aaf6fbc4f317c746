package dev.noriwal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What opening (or verifying) a log found and did.
 *
 * @param mode the recovery mode used
 * @param validRecords checksum-valid records in the log after recovery (for a scan skipped after a
 *     clean close, the count recorded at that close)
 * @param segmentsScanned segment files looked at
 * @param bytesScanned bytes read and checked
 * @param recordBytes bytes of checksum-valid records among them
 * @param freeBytes bytes of zero-filled, preallocated space after the last written byte of each
 *     segment (free space, not data; 0 when the scan was skipped)
 * @param bytesTruncated bytes cut off the end (torn tails, including non-zero garbage; a
 *     zero-filled preallocated tail is not counted, it is simply free space)
 * @param bytesQuarantined bytes moved into {@code quarantine/}
 * @param damage every damaged place found, in log order
 * @param action what was done about it
 * @param endPosition where the next record goes after recovery
 * @param scanSkipped true when a valid clean-shutdown marker let the open skip the scan
 * @param duration time taken
 */
public record RecoveryInfo(
    RecoveryMode mode,
    long validRecords,
    int segmentsScanned,
    long bytesScanned,
    long recordBytes,
    long freeBytes,
    long bytesTruncated,
    long bytesQuarantined,
    List<Damage> damage,
    Action action,
    Position endPosition,
    boolean scanSkipped,
    Duration duration) {

  /** What recovery did. */
  public enum Action {
    /** The log was clean (or only had a zero-filled tail). */
    NONE,
    /** A torn tail was cut off. */
    TRUNCATED_TORN_TAIL,
    /** The log was cut at the first damage and everything after it quarantined. */
    CUT_AND_QUARANTINED,
    /** Damaged spans were cut out and quarantined; all valid records were kept. */
    SALVAGED,
    /** Nothing was changed (a read-only verification, or an open that failed). */
    REPORTED_ONLY
  }

  public RecoveryInfo {
    damage = List.copyOf(damage);
  }

  /** The first damage that is more than a torn tail, if any. */
  public Optional<Damage> firstCorruption() {
    return damage.stream().filter(Damage::isCorruption).findFirst();
  }

  /** True when no damage was found beyond, at most, a torn tail. */
  public boolean isClean() {
    return firstCorruption().isEmpty();
  }

  /** Human-readable multi-line report, as the {@code verify} command prints it. */
  public String report() {
    StringBuilder sb = new StringBuilder();
    sb.append("mode: ").append(mode).append('\n');
    sb.append("segments scanned: ").append(segmentsScanned).append('\n');
    sb.append("bytes scanned: ")
        .append(bytesScanned)
        .append(" (records: ")
        .append(recordBytes)
        .append(", free preallocated space: ")
        .append(freeBytes)
        .append(")\n");
    sb.append("valid records: ").append(validRecords).append('\n');
    sb.append("bytes truncated: ").append(bytesTruncated).append('\n');
    sb.append("bytes quarantined: ").append(bytesQuarantined).append('\n');
    sb.append("end position: ").append(endPosition).append('\n');
    sb.append("scan skipped (clean shutdown): ").append(scanSkipped).append('\n');
    sb.append("action: ").append(action).append('\n');
    sb.append("duration: ").append(duration.toMillis()).append(" ms\n");
    if (damage.isEmpty()) {
      sb.append("damage: none\n");
    } else {
      for (Damage d : damage) {
        sb.append("damage: ").append(d).append('\n');
      }
    }
    return sb.toString();
  }
}
