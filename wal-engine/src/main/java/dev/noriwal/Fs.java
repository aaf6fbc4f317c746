package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File-system steps the log relies on. Stateless; thread-safe. */
final class Fs {
  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");

  private Fs() {}

  /**
   * Forces a directory so that creations, renames and deletions in it survive a power loss. A
   * directory cannot be opened for this on Windows, where it is skipped.
   */
  static void forceDirectory(Path dir) throws IOException {
    if (WINDOWS) {
      return;
    }
    // Uninterruptible: an interrupted writer (pool) thread must not fail a rotation here.
    try (FileChannel ch = UninterruptibleChannel.openFile(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Writes all of {@code src} at {@code position}; a write that makes no progress is an error. */
  static void writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
    long p = position;
    int stalls = 0;
    while (src.hasRemaining()) {
      int n = ch.write(src, p);
      if (n <= 0) {
        if (++stalls > 3) {
          throw new IOException("write made no progress at offset " + p);
        }
        continue;
      }
      p += n;
    }
  }

  /** Reads until {@code dst} is full or the file ends; returns bytes read. */
  static int readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
    int total = 0;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, position + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}
