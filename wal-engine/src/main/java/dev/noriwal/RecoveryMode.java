package dev.noriwal;

/**
 * What {@link Wal#open} does when the log holds more than a torn tail.
 *
 * <p>In every mode a torn tail (an incomplete or invalid last record with nothing valid after it,
 * or a zero-filled preallocated tail) is cut off and counted: that is what a crash leaves.
 */
public enum RecoveryMode {
  /**
   * Damage that is not a torn tail (a bad record followed by valid ones, a valid record in a later
   * segment, a missing segment, a record with reserved flag bits) fails the open with a {@link
   * CorruptLogException} naming the file and offset. Nothing on disk is modified.
   */
  TOLERATE_TORN_TAIL,
  /**
   * The log is cut at the first damage; every byte after it (the rest of that segment and all later
   * segments) is moved, never deleted, into the {@code quarantine/} sub-directory.
   */
  POINT_IN_TIME,
  /**
   * Every checksum-valid record is kept; damaged spans are cut out of their segments and moved into
   * {@code quarantine/}, and a gap in segment ids is closed by renumbering later segments.
   * Positions after the first damage change.
   */
  SALVAGE
}
