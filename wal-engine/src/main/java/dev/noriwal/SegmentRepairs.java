package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file operations of recovery's repairs: trimming a segment to its valid end, cutting a
 * segment's tail into {@code quarantine/}, and rewriting a segment with only its valid records.
 * Each copy is forced (file and directory) before the original changes, so a crash in the middle of
 * a repair leaves the damage in place for the next recovery, never a lost byte.
 *
 * <p>Stateless; called by {@link Recovery} while the directory lock is held.
 */
final class SegmentRepairs {
  static final String QUARANTINE = "quarantine";

  private SegmentRepairs() {}

  /**
   * Makes a segment end at its last valid record. The active (last) segment keeps a tail of pure
   * zeros: it is free preallocated space, not data. Anything else after the valid end is cut off
   * (torn garbage) in place and forced. Returns the logical size.
   */
  static long trimZeroTail(Path dir, SegmentName n, SegmentScanner.Result r, boolean keepZeros)
      throws IOException {
    long end = r.validEnd();
    boolean onlyZerosAfter = r.lastNonZeroEnd() <= end;
    if (r.fileLength() > end && !(keepZeros && onlyZerosAfter)) {
      try (FileChannel ch = FileChannel.open(dir.resolve(n.fileName()), StandardOpenOption.WRITE)) {
        ch.truncate(end);
        ch.force(true);
      }
    }
    return end;
  }

  static Path quarantineDir(Path dir) throws IOException {
    Path q = dir.resolve(QUARANTINE);
    if (!Files.isDirectory(q)) {
      Files.createDirectories(q);
      Fs.forceDirectory(dir);
    }
    return q;
  }

  static Path unique(Path q, String base) {
    String stamp = Long.toString(System.currentTimeMillis());
    Path p = q.resolve(base + "." + stamp);
    for (int i = 1; Files.exists(p); i++) {
      p = q.resolve(base + "." + stamp + "-" + i);
    }
    return p;
  }

  /** Copies {@code [cut, EOF)} of a segment into quarantine, forces it, then truncates at cut. */
  static long cutInto(Path dir, SegmentName n, long cut, Path q) throws IOException {
    Path src = dir.resolve(n.fileName());
    long moved;
    try (FileChannel in =
        FileChannel.open(src, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      moved = in.size() - cut;
      Path dst = unique(q, n.fileName() + ".from-" + cut);
      copyRange(in, cut, in.size(), dst);
      Fs.forceDirectory(q);
      in.truncate(cut);
      in.force(true);
    }
    return moved;
  }

  static void copyRange(FileChannel in, long from, long to, Path dst) throws IOException {
    try (FileChannel out =
        FileChannel.open(dst, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long p = from;
      long o = 0;
      while (p < to) {
        long n = in.transferTo(p, to - p, out);
        if (n <= 0) {
          ByteBuffer b = ByteBuffer.allocate((int) Math.min(1 << 20, to - p));
          int r = Fs.readFully(in, b, p);
          if (r <= 0) {
            throw new IOException("cannot copy " + dst + ": source ended at " + p);
          }
          b.flip();
          Fs.writeFully(out, b, o);
          n = r;
        }
        p += n;
        o += n;
      }
      out.force(true);
    }
  }

  /**
   * Rewrites a segment with only its valid records; each damaged span goes to quarantine first.
   * Returns the bytes quarantined.
   */
  static long salvage(Path dir, SegmentName n, SegmentScanner.Result r, Path q) throws IOException {
    Path src = dir.resolve(n.fileName());
    Path tmp = dir.resolve(n.fileName() + ".salvage");
    long moved = 0;
    try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ)) {
      for (SegmentScanner.Span s : r.damage()) {
        copyRange(in, s.start(), s.end(), unique(q, n.fileName() + ".at-" + s.start()));
        moved += s.length();
      }
      Fs.forceDirectory(q);
      try (FileChannel out =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        long o = 0;
        for (long[] v : r.valid()) {
          long p = v[0];
          while (p < v[1]) {
            long k = in.transferTo(p, v[1] - p, out);
            if (k <= 0) {
              throw new IOException("cannot copy valid records of " + src);
            }
            p += k;
            o += k;
          }
        }
        out.truncate(o);
        out.force(true);
      }
    }
    Files.move(tmp, src, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Fs.forceDirectory(dir);
    return moved;
  }
}
