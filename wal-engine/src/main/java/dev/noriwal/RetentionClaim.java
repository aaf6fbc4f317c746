package dev.noriwal;

/**
 * A holder's claim on older records of a log, made with {@link Wal#retain}: while it is open,
 * {@link Wal#deleteSegmentsBefore} keeps every segment that holds records at or after the position
 * the holder still needs (a relay that has not yet published them, a backup in progress).
 *
 * <p>Closing the claim drops it; closing it again does nothing. A claim dies with the log that
 * granted it.
 */
public interface RetentionClaim extends AutoCloseable {

  /** Who holds the claim, as given to {@link Wal#retain}; named in {@link SegmentDeletion}. */
  String holder();

  @Override
  void close();
}
