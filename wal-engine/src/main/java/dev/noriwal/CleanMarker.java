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
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The clean-shutdown marker: a small checksummed text file written (temp, force, rename, force
 * directory) by a clean close. It names every segment with its size, record count and file identity
 * (the file system's file key, e.g. device and inode, and the modification time). The next open
 * skips the scan only if the marker's checksum is right and every segment file in the directory is
 * exactly one the marker names, with the same size, key and modification time; any difference (a
 * file cut, grown, restored from a backup, added or removed) falls back to the full scan. Then it
 * deletes the marker before any new append.
 *
 * <pre>
 * nori-wal-clean v2
 * records=12345
 * segment=000000.wal size=1048001 records=6000 key=(dev=803,ino=1234) mtime=1764550000123456789
 * segment=000001.wal size=532 records=345 key=(dev=803,ino=1240) mtime=1764550000223456789
 * crc32c=89abcdef        (over all bytes before this line)
 * </pre>
 *
 * <p>A file system without file keys writes {@code key=-}; the other checks still apply.
 */
record CleanMarker(long records, List<Entry> segments) {
  static final String FILE = "clean-shutdown";
  private static final String HEADER = "nori-wal-clean v2\n";

  /** One segment as the marker vouches for it. */
  record Entry(String fileName, long size, long records, String key, long mtimeNanos) {}

  /** An entry describing {@code file} as it is now on disk. */
  static Entry describe(Path file, long records) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    Object key = a.fileKey();
    long mtime = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
    return new Entry(
        file.getFileName().toString(),
        a.size(),
        records,
        key == null ? "-" : key.toString(),
        mtime);
  }

  void write(Path dir) throws IOException {
    StringBuilder body = new StringBuilder(HEADER).append("records=").append(records).append('\n');
    for (Entry e : segments) {
      body.append("segment=")
          .append(e.fileName())
          .append(" size=")
          .append(e.size())
          .append(" records=")
          .append(e.records())
          .append(" key=")
          .append(e.key().replace(' ', '_'))
          .append(" mtime=")
          .append(e.mtimeNanos())
          .append('\n');
    }
    CRC32C crc = new CRC32C();
    byte[] b = body.toString().getBytes(StandardCharsets.US_ASCII);
    crc.update(b);
    byte[] all =
        (body + "crc32c=" + String.format("%08x", crc.getValue()) + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    Path tmp = dir.resolve(FILE + ".tmp");
    // Written by the writer task at close: a channel an interrupt cannot close.
    try (FileChannel ch =
        UninterruptibleChannel.openFile(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      Fs.writeFully(ch, ByteBuffer.wrap(all), 0);
      ch.force(true);
    }
    Files.move(
        tmp,
        dir.resolve(FILE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
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
    long records = -1;
    List<Entry> segments = new ArrayList<>();
    try {
      for (String line : text.substring(HEADER.length(), crcLine).lines().toList()) {
        if (line.startsWith("records=")) {
          records = Long.parseLong(line.substring(8));
        } else if (line.startsWith("segment=")) {
          String[] f = line.split(" ", -1);
          if (f.length != 5
              || !f[1].startsWith("size=")
              || !f[2].startsWith("records=")
              || !f[3].startsWith("key=")
              || !f[4].startsWith("mtime=")) {
            return Optional.empty();
          }
          segments.add(
              new Entry(
                  f[0].substring(8),
                  Long.parseLong(f[1].substring(5)),
                  Long.parseLong(f[2].substring(8)),
                  f[3].substring(4),
                  Long.parseLong(f[4].substring(6))));
        } else {
          return Optional.empty();
        }
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (records < 0) {
      return Optional.empty();
    }
    return Optional.of(new CleanMarker(records, List.copyOf(segments)));
  }

  /**
   * Whether {@code now} (the directory's segments as they are) is exactly what this marker names.
   */
  boolean matches(List<Entry> now) {
    if (now.size() != segments.size()) {
      return false;
    }
    for (int i = 0; i < now.size(); i++) {
      Entry a = segments.get(i);
      Entry b = now.get(i);
      if (!a.fileName().equals(b.fileName())
          || a.size() != b.size()
          || !a.key().equals(b.key().replace(' ', '_'))
          || a.mtimeNanos() != b.mtimeNanos()) {
        return false;
      }
    }
    return true;
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
