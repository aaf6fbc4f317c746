package dev.noriwal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file-system calls the log's own I/O goes through: opening segment channels (for writing, and
 * for reading during recovery), publishing a prepared segment, deleting one and forcing the
 * directory. The default is the plain JDK; tests pass one that injects faults (failed or short
 * writes, failed forces, a full disk while preparing a segment, read errors, a failed rename or
 * directory force) or holds a deletion half done.
 */
@FunctionalInterface
interface ChannelOpener {
  FileChannel open(Path path, OpenOption... options) throws IOException;

  /** Atomically renames {@code from} to {@code to} (a prepared segment into place). */
  default void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Deletes a segment file, if it still exists (the caller forces the directory after). */
  default void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  /** Forces a directory's entries (see {@link Fs#forceDirectory}). */
  default void forceDirectory(Path dir) throws IOException {
    Fs.forceDirectory(dir);
  }

  /**
   * The JDK, through channels that an interrupt of the calling thread does not close (segments:
   * never locked, so their writes may go through a plain channel of their own).
   */
  static ChannelOpener system() {
    return UninterruptibleChannel::openSegment;
  }
}
