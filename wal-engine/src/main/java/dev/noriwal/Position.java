package dev.noriwal;

/**
 * A place in the log: a segment id and the byte offset of a record's first byte in that segment.
 *
 * <p>Positions order first by segment, then by offset. They are physical: the same position in
 * another log directory means nothing. {@link Wal#append} returns a record's start position, {@link
 * Wal#currentPosition()} the position the next record will get.
 */
public record Position(long segmentId, long offset) implements Comparable<Position> {

  /** The first position a log can have. */
  public static final Position START = new Position(0, 0);

  public Position {
    if (segmentId < 0) {
      throw new IllegalArgumentException("segmentId must be >= 0: " + segmentId);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
  }

  /** Parses {@code SEGMENT:OFFSET}, as printed by {@link #toString()}. */
  public static Position parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("position must look like SEGMENT:OFFSET: " + text);
    }
    try {
      return new Position(
          Long.parseLong(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("position must look like SEGMENT:OFFSET: " + text, e);
    }
  }

  @Override
  public int compareTo(Position other) {
    int c = Long.compare(segmentId, other.segmentId);
    return c != 0 ? c : Long.compare(offset, other.offset);
  }

  @Override
  public String toString() {
    return segmentId + ":" + offset;
  }
}
