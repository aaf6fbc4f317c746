package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Creates the next segment ahead of need, on a background thread of its own: under a temporary
 * name, zero-filled when preallocating, forced; the writer thread then {@link #take}s it and
 * {@link #publish}es it (rename, directory force) when it rotates.
 *
 * <p>Confined to the writer thread, except the constructor (which may prepare the first segment
 * on the opening thread) and the background preparation itself, which touches only its own file.
 */
final class SegmentPreparer {
  /** While zero-filling a new segment, force every this many bytes (a multiple of CHUNK). */
  static final long PREPARE_FORCE_BYTES = 8L << 20;

  record Prepared(long id, Path tmp, FileChannel channel) {}

  private final Path dir;
  private final ChannelOpener opener;
  private final WalConfig config;
  private final CommitRule rule;
  private final ExecutorService executor;
  private Future<Prepared> next;

  SegmentPreparer(WalConfig config, ChannelOpener opener, CommitRule rule) {
    this.dir = config.directory();
    this.opener = opener;
    this.config = config;
    this.rule = rule;
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "nori-wal-prepare " + dir.getFileName());
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts preparing segment {@code id} in the background. */
  void prepareAhead(long id) {
    next = executor.submit(() -> prepare(id));
  }

  /** Creates {@code id}'s file under a temporary name, zero-filled when preallocating, forced. */
  Prepared prepare(long id) throws IOException {
    Path tmp = dir.resolve(SegmentName.toFileName(id) + ".tmp");
    FileChannel ch =
        opener.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    try {
      boolean force = rule.forcesPreparedSegments();
      if (config.preallocate()) {
        // Real zero blocks rather than a sparse file or fallocate's unwritten extents: a full disk
        // fails here, and later appends overwrite allocated blocks without metadata changes.
        ByteBuffer zeros = BufferPool.ZEROS.duplicate();
        long size = config.maxSegmentSize();
        for (long p = 0; p < size; ) {
          zeros.clear();
          zeros.limit((int) Math.min(Staging.CHUNK, size - p));
          int n = zeros.limit();
          Fs.writeFully(ch, zeros, p);
          p += n;
          if (force && p % PREPARE_FORCE_BYTES == 0) {
            // Small bursts: the appenders' fdatasyncs queue behind 8 MiB, not the whole segment.
            ch.force(false);
          }
        }
      }
      if (force) {
        // Forcing the zeros now keeps later fdatasyncs of this segment free of allocation work.
        // Under os() nothing waits for a force, so the zeros are left to write-back; forcing them
        // would only write the segment to disk twice.
        ch.force(true);
      }
      return new Prepared(id, tmp, ch);
    } catch (IOException | RuntimeException e) {
      try {
        ch.close();
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Moves a prepared segment into place and forces the directory. */
  void publish(Prepared p) throws IOException {
    opener.move(p.tmp(), dir.resolve(SegmentName.toFileName(p.id())));
    opener.forceDirectory(dir);
  }

  /** Segment {@code id}, prepared: the one prepared ahead if it is that one, else made now. */
  Prepared take(long id) throws IOException {
    Future<Prepared> f = next;
    next = null;
    if (f != null) {
      try {
        Prepared p = getUninterruptibly(f);
        if (p.id() == id) {
          return p;
        }
        p.channel().close();
        Files.deleteIfExists(p.tmp());
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        String what = "preparing segment " + SegmentName.toFileName(id) + " failed";
        if (c instanceof IOException io) {
          throw new IOException(what + ": " + io.getMessage(), io);
        }
        throw new IOException(what, c);
      }
    }
    return prepare(id);
  }

  /** Stops the background thread at once, for an open that failed. */
  void abandon() {
    executor.shutdownNow();
  }

  /**
   * Stops preparing. A preparation that never started is dropped (never waited on: the stopped
   * executor will not run it); one already running finishes (bounded: one segment's zero-fill)
   * and its file goes, unless {@code crash} (a killed process leaves it; the next open removes it).
   */
  void shutDown(boolean crash) {
    // Future.cancel cannot tell the two apart: it "cancels" a running task and leaks its file.
    List<Runnable> neverStarted = executor.shutdownNow();
    Future<Prepared> f = next;
    next = null;
    boolean interrupted = false;
    while (true) {
      try {
        if (executor.awaitTermination(1, TimeUnit.DAYS)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (f != null && !neverStarted.contains(f) && f.isDone()) {
      try {
        Prepared p = f.get();
        p.channel().close();
        if (!crash) {
          Files.deleteIfExists(p.tmp());
        }
      } catch (ExecutionException | InterruptedException | IOException | RuntimeException e) {
        // Nothing was published from it; a leftover temporary file is removed at next open.
      }
    }
  }

  private static <T> T getUninterruptibly(Future<T> f) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
