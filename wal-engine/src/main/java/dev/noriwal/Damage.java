package dev.noriwal;

/**
 * One damaged place found by recovery or verification.
 *
 * @param segment the segment file name, e.g. {@code 000003.wal}
 * @param offset byte offset where the damage starts
 * @param length bytes from {@code offset} judged damaged (to the next valid record or end of file)
 * @param kind what was found
 * @param detail a sentence for people: what is wrong, e.g. the expected and actual CRC
 */
public record Damage(String segment, long offset, long length, Kind kind, String detail) {

  /** What kind of damage. */
  public enum Kind {
    /** An incomplete or invalid last record with nothing valid after it: what a crash leaves. */
    TORN_TAIL,
    /** A bad record with valid records, or later segments with records, after it. */
    CORRUPT,
    /** A checksum-valid record this version cannot interpret (reserved flag bits, codec 3). */
    UNSUPPORTED_FORMAT,
    /** A segment id missing between two existing segments. */
    MISSING_SEGMENT
  }

  /** Whether this damage is more than what a crash leaves behind. */
  public boolean isCorruption() {
    return kind != Kind.TORN_TAIL;
  }

  @Override
  public String toString() {
    return kind + " in " + segment + " at offset " + offset + " (" + length + " bytes): " + detail;
  }
}
