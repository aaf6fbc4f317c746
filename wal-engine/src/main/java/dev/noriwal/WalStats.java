package dev.noriwal;

/**
 * An immutable snapshot of a log's counters, taken by {@link Wal#stats()}.
 *
 * @param state lifecycle state
 * @param recordsAppended records appended since open
 * @param bytesAppended encoded bytes appended since open
 * @param fsyncCount forces of segment data since open
 * @param fsyncTotalNanos time spent in those forces
 * @param fsyncMaxNanos longest single force
 * @param segmentCount segment files in the log
 * @param activeSegmentId id of the segment being written
 * @param bytesOnDisk logical bytes of all segments
 * @param currentPosition where the next record goes
 * @param durablePosition everything before this position has been forced (or, under {@code os()},
 *     written to the OS)
 * @param rotations segment rotations since open
 * @param queuedBytes bytes appended but not yet handed to the OS (bounded: appenders wait when it
 *     reaches 16 MiB)
 * @param unforcedBytes bytes appended but not yet covered by a force: what a power loss could take
 *     now (always 0 between appends under {@code always()}, except for appends still waiting)
 * @param oldestUnforcedAgeNanos how long ago the oldest of those bytes was appended (0 if none);
 *     under {@code batch(window)} new appends wait while it exceeds the window
 */
public record WalStats(
    WalState state,
    long recordsAppended,
    long bytesAppended,
    long fsyncCount,
    long fsyncTotalNanos,
    long fsyncMaxNanos,
    int segmentCount,
    long activeSegmentId,
    long bytesOnDisk,
    Position currentPosition,
    Position durablePosition,
    long rotations,
    long queuedBytes,
    long unforcedBytes,
    long oldestUnforcedAgeNanos) {}
