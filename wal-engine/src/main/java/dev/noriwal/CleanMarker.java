package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The clean-shutdown marker: a small checksummed text file written (temp, force, rename, force
 * directory) by a clean close, naming the last segment and its size. The next open trusts the log
 * without scanning only if the marker's checksum is right and the directory still matches it; then
 * it deletes the marker before any new append. Any doubt falls back to the full scan.
 *
 * <pre>
 * nori-wal-clean v1
 * segments=3
 * last=2
 * lastSize=1048001
 * records=12345
 * segmentRecords=0:6000,1:6000,2:345   (records per segment id)
 * crc32c=89abcdef        (over all bytes before this line)
 * </pre>
 */
record CleanMarker(
    long segments, long lastSegmentId, long lastSize, long records, Map<Long, Long> segmentRecords) {
  static final String FILE = "clean-shutdown";
  private static final String HEADER = "nori-wal-clean v1\n";

  void write(Path dir) throws IOException {
    String body =
        HEADER
            + "segments="
            + segments
            + "\nlast="
            + lastSegmentId
            + "\nlastSize="
            + lastSize
            + "\nrecords="
            + records
            + "\nsegmentRecords="
            + encode(segmentRecords)
            + "\n";
    CRC32C crc = new CRC32C();
    byte[] b = body.getBytes(StandardCharsets.US_ASCII);
    crc.update(b);
    byte[] all =
        (body + "crc32c=" + String.format("%08x", crc.getValue()) + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    Path tmp = dir.resolve(FILE + ".tmp");
    // Written by the writer thread at close: a channel an interrupt cannot close.
    try (FileChannel ch =
        UninterruptibleChannel.openFile(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      Fs.writeFully(ch, ByteBuffer.wrap(all), 0);
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Fs.forceDirectory(dir);
  }

  /** The marker in {@code dir}, if present and intact. */
  static Optional<CleanMarker> read(Path dir) {
    byte[] all;
    try {
      all = Files.readAllBytes(dir.resolve(FILE));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
    String text = new String(all, StandardCharsets.US_ASCII);
    int crcLine = text.lastIndexOf("crc32c=");
    if (!text.startsWith(HEADER) || crcLine < 0 || !text.endsWith("\n")) {
      return Optional.empty();
    }
    CRC32C crc = new CRC32C();
    crc.update(all, 0, crcLine);
    String stored = text.substring(crcLine + 7, text.length() - 1);
    if (!stored.equals(String.format("%08x", crc.getValue()))) {
      return Optional.empty();
    }
    Map<String, Long> kv = new HashMap<>();
    Map<Long, Long> perSegment = null;
    for (String line : text.substring(HEADER.length(), crcLine).split("\n")) {
      int eq = line.indexOf('=');
      if (eq <= 0) {
        return Optional.empty();
      }
      try {
        if (line.startsWith("segmentRecords=")) {
          perSegment = decode(line.substring(eq + 1));
        } else {
          kv.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        }
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    if (perSegment == null
        || !kv.keySet().containsAll(java.util.List.of("segments", "last", "lastSize", "records"))) {
      return Optional.empty();
    }
    return Optional.of(
        new CleanMarker(
            kv.get("segments"), kv.get("last"), kv.get("lastSize"), kv.get("records"), perSegment));
  }

  private static String encode(Map<Long, Long> perSegment) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(perSegment)
        .forEach((id, n) -> sb.append(sb.length() == 0 ? "" : ",").append(id).append(':').append(n));
    return sb.toString();
  }

  private static Map<Long, Long> decode(String text) {
    Map<Long, Long> m = new TreeMap<>();
    if (text.isEmpty()) {
      return m;
    }
    for (String pair : text.split(",")) {
      int colon = pair.indexOf(':');
      if (colon <= 0) {
        throw new NumberFormatException("bad segment count: " + pair);
      }
      m.put(Long.parseLong(pair.substring(0, colon)), Long.parseLong(pair.substring(colon + 1)));
    }
    return m;
  }

  /** Removes the marker (and a leftover temp) and forces the directory. */
  static void delete(Path dir) throws IOException {
    boolean a = Files.deleteIfExists(dir.resolve(FILE));
    boolean b = Files.deleteIfExists(dir.resolve(FILE + ".tmp"));
    if (a || b) {
      Fs.forceDirectory(dir);
    }
  }
}
