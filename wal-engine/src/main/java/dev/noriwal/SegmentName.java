package dev.noriwal;

import java.util.Optional;

/**
 * A segment's id and file name: the decimal id zero-padded to at least six digits plus {@code
 * .wal}, so that name order is id order. A file written by another tool without padding (e.g.
 * {@code 7.wal}) is still recognised and keeps its name.
 */
record SegmentName(long id, String fileName) implements Comparable<SegmentName> {

  static final String SUFFIX = ".wal";
  static final String TEMP_SUFFIX = ".wal.tmp";

  static SegmentName of(long id) {
    return new SegmentName(id, toFileName(id));
  }

  static String toFileName(long id) {
    return String.format("%06d%s", id, SUFFIX);
  }

  /** The segment named {@code fileName}, if the name is a segment's: digits then {@code .wal}. */
  static Optional<SegmentName> parse(String fileName) {
    if (!fileName.endsWith(SUFFIX)) {
      return Optional.empty();
    }
    String stem = fileName.substring(0, fileName.length() - SUFFIX.length());
    if (stem.isEmpty() || stem.length() > 19) {
      return Optional.empty();
    }
    for (int i = 0; i < stem.length(); i++) {
      char c = stem.charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(new SegmentName(Long.parseLong(stem), fileName));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code fileName} is a temporary segment left by an interrupted preparation or copy. */
  static boolean isTemp(String fileName) {
    return fileName.endsWith(TEMP_SUFFIX)
        && parse(fileName.substring(0, fileName.length() - 4)).isPresent();
  }

  @Override
  public int compareTo(SegmentName o) {
    return Long.compare(id, o.id);
  }
}
