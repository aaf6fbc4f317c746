package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive ownership of a log directory: an OS file lock on {@code LOCK} (against other
 * processes) plus a JVM-wide registry (file locks are per process, so two opens inside one JVM, e.g.
 * two deployments in one server, need it). The holder's PID is written into the file so a refused
 * open can name it. Locks are never stolen.
 *
 * <p>Thread-safe.
 */
final class DirectoryLock implements AutoCloseable {
  static final String FILE = "LOCK";
  private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  static DirectoryLock acquire(Path dir) throws IOException {
    Path key = dir.toRealPath();
    if (!HELD_IN_THIS_JVM.add(key)) {
      throw new IOException(
          "log directory " + key + " is already open in this JVM (pid " + ProcessHandle.current().pid() + ")");
    }
    FileChannel ch = null;
    try {
      ch =
          FileChannel.open(
              key.resolve(FILE),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = readHolder(ch);
        throw new IOException(
            "log directory " + key + " is locked by another process" + (holder.isEmpty() ? "" : " (pid " + holder + ")"));
      }
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      ch.truncate(0);
      Fs.writeFully(ch, ByteBuffer.wrap(pid), 0);
      return new DirectoryLock(key, ch, lock);
    } catch (IOException | RuntimeException e) {
      HELD_IN_THIS_JVM.remove(key);
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static String readHolder(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate(32);
      Fs.readFully(ch, b, 0);
      return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      try {
        channel.close();
      } finally {
        HELD_IN_THIS_JVM.remove(key);
      }
    }
  }
}
