package dev.noriwal.jmx;

import dev.noriwal.Damage;
import dev.noriwal.RecoveryInfo;
import java.util.List;

/**
 * The last recovery of a log as the {@link LogMXBean#getLastRecovery LastRecovery} attribute: an
 * MXBean maps this record to a {@code CompositeData} whose items are its components, so JConsole
 * shows one field per row. The item names match the {@code dev.noriwal.recovery.completed}
 * notification's user data where both have them.
 *
 * @param mode the recovery mode used
 * @param verdict {@code CLEAN} (nothing damaged), {@code TORN_TAIL} (only what a crash leaves, cut
 *     off) or {@code DAMAGED} (corruption, missing segments or records this version cannot read)
 * @param action what recovery did: {@code NONE}, {@code TRUNCATED_TORN_TAIL}, {@code
 *     CUT_AND_QUARANTINED}, {@code SALVAGED} or {@code REPORTED_ONLY}
 * @param segmentsScanned segment files looked at
 * @param validRecords checksum-valid records kept
 * @param bytesScanned bytes read and checked: record bytes, free space and damage
 * @param recordBytes bytes of checksum-valid records
 * @param freeBytes zero-filled preallocated space after the last record of each segment
 * @param bytesTruncated bytes cut off the end as a torn tail
 * @param truncatedAt where the torn tail began ({@code 000003.wal at offset 4096}), or empty
 * @param bytesQuarantined bytes moved into the log's {@code quarantine/} directory
 * @param firstCorruption the first damage beyond a torn tail (kind, file, offset, what was wrong),
 *     where a {@code POINT_IN_TIME} recovery cut the log; empty if none
 * @param damageCount how many damaged places were found
 * @param damage every damaged place, in log order, one sentence each (a {@code String[]} to JMX)
 * @param endPosition where the next record goes ({@code segment:offset})
 * @param scanSkipped true when a clean-shutdown marker let the open skip the scan
 * @param durationMillis time taken
 */
public record RecoveryReport(
    String mode,
    String verdict,
    String action,
    int segmentsScanned,
    long validRecords,
    long bytesScanned,
    long recordBytes,
    long freeBytes,
    long bytesTruncated,
    String truncatedAt,
    long bytesQuarantined,
    String firstCorruption,
    int damageCount,
    List<String> damage,
    String endPosition,
    boolean scanSkipped,
    long durationMillis) {

  public RecoveryReport {
    damage = List.copyOf(damage);
  }

  static RecoveryReport of(RecoveryInfo info) {
    String verdict = info.damage().isEmpty() ? "CLEAN" : info.isClean() ? "TORN_TAIL" : "DAMAGED";
    String truncatedAt =
        info.damage().stream()
            .filter(d -> d.kind() == Damage.Kind.TORN_TAIL)
            .map(d -> d.segment() + " at offset " + d.offset())
            .findFirst()
            .orElse("");
    return new RecoveryReport(
        info.mode().name(),
        verdict,
        info.action().name(),
        info.segmentsScanned(),
        info.validRecords(),
        info.bytesScanned(),
        info.recordBytes(),
        info.freeBytes(),
        info.bytesTruncated(),
        truncatedAt,
        info.bytesQuarantined(),
        info.firstCorruption().map(Damage::toString).orElse(""),
        info.damage().size(),
        info.damage().stream().map(Damage::toString).toList(),
        String.valueOf(info.endPosition()),
        info.scanSkipped(),
        info.duration().toMillis());
  }
}
