package dev.noriwal;

/**
 * Where the next record goes: its segment and offset, its sequence number (bytes since the log was
 * opened) and the counts behind {@link WalStats}. Not thread-safe: {@link Staging} guards it with
 * its lock, since positions are assigned in the order records are staged.
 */
final class Positions {
  private long nextSeq;
  private long segId;
  private long segSize;

  /** Records in the segment positions are being assigned in. */
  private long segRecords;

  private long records;
  private long bytes;

  Positions(long segmentId, long segmentSize, long segmentRecords) {
    this.segId = segmentId;
    this.segSize = segmentSize;
    this.segRecords = segmentRecords;
  }

  long nextSeq() {
    return nextSeq;
  }

  long segmentId() {
    return segId;
  }

  long segmentSize() {
    return segSize;
  }

  long segmentRecords() {
    return segRecords;
  }

  long records() {
    return records;
  }

  long bytes() {
    return bytes;
  }

  Position current() {
    return new Position(segId, segSize);
  }

  /** A record of {@code size} bytes does not fit in the current, non-empty segment. */
  boolean full(long size, long maxSegmentSize) {
    return segSize > 0 && segSize + size > maxSegmentSize;
  }

  /** Moves past one record of {@code size} encoded bytes, staged at {@link #current()}. */
  void advance(long size) {
    segSize += size;
    nextSeq += size;
    segRecords++;
    records++;
    bytes += size;
  }

  /** Positions now go to the next segment; returns the record count of the one left behind. */
  long nextSegment() {
    long left = segRecords;
    segId++;
    segSize = 0;
    segRecords = 0;
    return left;
  }
}
