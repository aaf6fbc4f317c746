package dev.noriwal;

/**
 * The staging side of {@link WalStats}, and what the close and the idle check need (the current
 * position, the active segment's record count, whether staging chunks are held), read together
 * under {@link Staging}'s lock by {@link Staging#snapshot}. Immutable.
 *
 * @param records records appended since open
 * @param bytes their encoded bytes
 * @param queued bytes staged, not yet taken by the writer
 * @param current the position the next append gets
 * @param unforced bytes appended and not yet covered by a force
 * @param age nanoseconds since the oldest of them was staged (0 if none)
 * @param activeRecords records in the active segment
 * @param holdsChunks whether this log holds staging chunks from the JVM-wide pool
 */
record StagingSnapshot(
    long records,
    long bytes,
    long queued,
    Position current,
    long unforced,
    long age,
    long activeRecords,
    boolean holdsChunks) {}
