package dev.noriwal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive ownership of a log directory: an OS file lock on {@value #FILE} (against other
 * processes) plus a JVM-wide registry (file locks are per process, so two opens inside one JVM,
 * e.g. two deployments in one server, need it). Locks are never stolen.
 *
 * <p>{@value #FILE} holds nothing and nothing else in the log opens it: a POSIX lock belongs to the
 * process and is released when <em>any</em> channel of the process on that file is closed, so a
 * backup or health check that read the locked file would silently release it. The holder's PID is
 * written to the separate file {@value #PID_FILE} (replaced atomically), which anyone may read; a
 * refused open names it.
 *
 * <p>Thread-safe.
 */
final class DirectoryLock implements AutoCloseable {
  /** The locked file: empty, never read. */
  static final String FILE = ".nori-wal.lock";

  /** The owner's PID and a newline, for people and tools; reading it is harmless. */
  static final String PID_FILE = "owner.pid";

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
          "log directory "
              + key
              + " is already open in this JVM (pid "
              + ProcessHandle.current().pid()
              + ")");
    }
    FileChannel ch = null;
    try {
      // Closed only by close(): an interrupt of the closing thread must not drop the lock early.
      ch =
          UninterruptibleChannel.openFile(
              key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock(0, Long.MAX_VALUE, false);
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = readHolder(key);
        throw new IOException(
            "log directory "
                + key
                + " is locked by another process"
                + (holder.isEmpty() ? "" : " (pid " + holder + ")"));
      }
      writePid(key);
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

  private static void writePid(Path dir) throws IOException {
    byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
    Path tmp = dir.resolve(PID_FILE + ".tmp");
    Files.write(tmp, pid);
    Files.move(
        tmp,
        dir.resolve(PID_FILE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** The PID the owner wrote, or "" if it cannot be read. */
  static String readHolder(Path dir) {
    try {
      byte[] b = Files.readAllBytes(dir.resolve(PID_FILE));
      return new String(b, 0, Math.min(b.length, 32), StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return "";
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
