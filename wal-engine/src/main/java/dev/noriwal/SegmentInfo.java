package dev.noriwal;

/**
 * One segment file of an open log.
 *
 * @param id segment id
 * @param fileName e.g. {@code 000003.wal}
 * @param size logical bytes of records in it (for the active segment: written so far)
 * @param sealed false only for the active segment
 */
public record SegmentInfo(long id, String fileName, long size, boolean sealed) {}
