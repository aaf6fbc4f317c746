package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Zero-fills segments ahead of the writer, off the append path, on a small JVM-wide pool of daemon
 * threads shared by every log (idle threads end after 30 s): a new segment is created under a
 * temporary name with its first {@link #FIRST_STEP} (at open) or a step of the writer's rate (ahead
 * of a rotation) zero-filled and forced; the writer task then {@link #take}s it and {@link
 * #publish}es it (rename, directory force) when it rotates, and {@link #grow}s the active segment
 * in steps as it fills, each written and forced in {@link #PREPARE_FORCE_BYTES} pieces that the
 * writer can follow and stop (see {@link Growth} and {@link SegmentWriter}). Nothing here ever
 * zero-fills a whole segment at once, so an open or a close never waits for one. Under {@code os()}
 * nothing is zero-filled ({@link CommitRule#zeroFillsAhead}): new segments are empty files, and the
 * same pool runs the writer's background forces of the active segment ({@link #forceBehind}).
 *
 * <p>Confined to the writer task, except the constructor and the first {@link #prepare} (on the
 * opening thread) and the background tasks themselves, each of which touches only its own file
 * through its own channel (a background force: the active segment's, which the writer waits for
 * before it truncates or closes it). A log's tasks are tracked so that {@link #shutDown} drops
 * those that never started, stops the zero-fills after their piece in flight and waits only for the
 * tasks running (bounded: one piece of zeros, or one force of about a step of written bytes).
 */
final class SegmentPreparer {
  /**
   * While zero-filling, force every this many bytes. Small, because the zeros ahead of the writer
   * are in the active segment's file: an appender's fdatasync writes every dirty page of that file,
   * so it carries whatever zeros are written and not yet forced. Measured at 64 writers under
   * always() (wal-benchmarks/RESULTS.md): 8 MiB pieces gave a p99 of 5–7 ms, 1 MiB pieces 4–5 ms
   * (the raw baseline's 3–5 ms); 256 KiB pieces did no better at p99 and their extra forces raised
   * the mean latency by a tenth.
   */
  static final long PREPARE_FORCE_BYTES = 1L << 20;

  /** What a new segment starts with, zero-filled (small: an open creates one). */
  static final long FIRST_STEP = 256L << 10;

  /** A new segment under its temporary name; its first {@code zeroed} bytes are zero-filled. */
  record Prepared(long id, Path tmp, FileChannel channel, long zeroed) {}

  /**
   * A step of the active segment (or a segment prepared ahead) being zero-filled in pieces: {@link
   * #filledTo} moves past each piece once it is written and forced, and never moves back, so the
   * writer may write below it while later pieces are still being filled. {@link #stop} ends the
   * step after the piece in flight; {@link #done} then gives where it ended.
   */
  static final class Growth {
    private final AtomicLong filled;
    private volatile boolean stopped;
    // Both set by grow, on the writer's thread, before it returns the step; a segment prepared
    // ahead has neither (its zero-fill is only ever stopped).
    private @Nullable Future<Long> done;
    private @Nullable Runnable dropUnstarted;

    /** A step whose zeros start at {@code from}. */
    Growth(long from) {
      this.filled = new AtomicLong(from);
    }

    /** The step is zero-filled below this offset. */
    long filledTo() {
      return filled.get();
    }

    /**
     * Ends the step after the piece being written, or drops it if it has not started (then {@link
     * #done} fails with a {@link CancellationException} and nothing was zero-filled).
     */
    void stop() {
      stopped = true;
      Runnable drop = dropUnstarted;
      if (drop != null) { // a segment prepared ahead is never dropped: the rotation needs it
        drop.run();
      }
    }

    /** Gives where the zeros end once the step is done, or its failure. */
    Future<Long> done() {
      return java.util.Objects.requireNonNull(done, "grow sets it");
    }
  }

  private static final ThreadPoolExecutor POOL = Completions.daemonPool("nori-wal-prepare-", 2);

  /** One task of this log on the shared pool; it runs at most once, or is dropped unstarted. */
  private final class Task<T> implements Runnable {
    static final int NEW = 0;
    static final int RUNNING = 1;
    static final int DROPPED = 2;
    final Callable<T> work;
    final CompletableFuture<T> result = new CompletableFuture<>();
    final AtomicInteger state = new AtomicInteger(NEW);

    Task(Callable<T> work) {
      this.work = work;
    }

    @Override
    public void run() {
      if (!state.compareAndSet(NEW, RUNNING)) {
        return;
      }
      try {
        result.complete(work.call());
      } catch (Exception | Error e) {
        result.completeExceptionally(e);
      } finally {
        tasks.remove(this);
        Thread.interrupted(); // a pool thread carries no interrupt into the next log's task
      }
    }

    /** Drops the task if it has not started (it is no longer tracked); returns false if it has. */
    boolean drop() {
      if (state.compareAndSet(NEW, DROPPED)) {
        tasks.remove(this); // run() will not, and a log may drop many steps in its life
        result.completeExceptionally(new CancellationException("dropped before it started"));
        return true;
      }
      return false;
    }
  }

  private final Path dir;
  private final ChannelOpener opener;
  private final WalConfig config;
  private final CommitRule rule;
  private final boolean zeroFills;
  private final Set<Task<?>> tasks = ConcurrentHashMap.newKeySet();
  private @Nullable Future<Prepared> next;

  /** The last step of the active segment handed to the writer (shutDown stops it). */
  private volatile @Nullable Growth growing;

  /** The zero-fill of the segment prepared ahead, if any ({@link #take} and shutDown stop it). */
  private volatile @Nullable Growth preparing;

  SegmentPreparer(WalConfig config, ChannelOpener opener, CommitRule rule) {
    this.dir = config.directory();
    this.opener = opener;
    this.config = config;
    this.rule = rule;
    this.zeroFills = config.preallocate() && rule.zeroFillsAhead();
  }

  /**
   * Whether this log's segments are zero-filled ahead of its writer: {@link WalConfig#preallocate}
   * under a rule that {@link CommitRule#zeroFillsAhead}. Otherwise a new segment is an empty file
   * and the appends themselves extend it.
   */
  boolean zeroFills() {
    return zeroFills;
  }

  private <T> Future<T> submit(Callable<T> work) {
    return start(new Task<>(work)).result;
  }

  private <T> Task<T> start(Task<T> t) {
    tasks.add(t);
    POOL.execute(t);
    return t;
  }

  /**
   * Forces {@code channel} (data only) in the background: the active segment's written bytes, so
   * that its seal later has less to force (see {@link SegmentWriter}). The caller waits for it
   * before it closes or truncates the channel.
   */
  Future<Long> forceBehind(FileChannel channel) {
    return submit(
        () -> {
          channel.force(false);
          return 0L;
        });
  }

  /**
   * Starts preparing segment {@code id} in the background, with its first {@code zeroBytes}
   * zero-filled when preallocating (the writer sizes them by its write rate, so that the first
   * appends after the rotation do not outrun the zero-fill; at least {@link #FIRST_STEP}).
   */
  void prepareAhead(long id, long zeroBytes) {
    @Nullable Growth g = zeroFills ? new Growth(0) : null; // an empty file has nothing to stop
    preparing = g;
    next = submit(() -> prepare(id, zeroBytes, g));
  }

  /** Creates {@code id}'s file with its {@link #FIRST_STEP} zero-filled (see below). */
  Prepared prepare(long id) throws IOException {
    return prepare(id, FIRST_STEP);
  }

  /**
   * Creates {@code id}'s file under a temporary name, its first {@code zeroBytes} (at least {@link
   * #FIRST_STEP}, at most the segment size) zero-filled when preallocating, and forces it.
   */
  Prepared prepare(long id, long zeroBytes) throws IOException {
    return prepare(id, zeroBytes, null);
  }

  /** As above; with {@code g}, the zero-fill ends early once {@code g} is stopped. */
  private Prepared prepare(long id, long zeroBytes, @Nullable Growth g) throws IOException {
    Path tmp = dir.resolve(SegmentName.toFileName(id) + ".tmp");
    FileChannel ch =
        opener.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    try {
      long want =
          zeroFills ? Math.min(Math.max(FIRST_STEP, zeroBytes), config.maxSegmentSize()) : 0;
      long zeroed = zeroFill(ch, 0, want, g, false);
      if (rule.forcesPreparedSegments()) {
        ch.force(true); // the new file's size and blocks, before it is renamed into place
      }
      return new Prepared(id, tmp, ch, zeroed);
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

  /**
   * Starts zero-filling {@code [from, to)} of the segment file {@code file} in the background,
   * through a channel of its own, in forced pieces. The caller must not write at or beyond the
   * step's {@link Growth#filledTo} until it is done or stopped.
   */
  Growth grow(Path file, long from, long to) {
    Growth g = new Growth(from);
    Task<Long> t =
        new Task<>(
            () -> {
              try (FileChannel ch =
                  opener.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                return zeroFill(ch, from, to, g, true);
              }
            });
    g.done = t.result;
    g.dropUnstarted = t::drop;
    growing = g;
    start(t);
    return g;
  }

  /**
   * Writes zeros over {@code [from, to)} in pieces that end on multiples of {@link
   * #PREPARE_FORCE_BYTES}, each forced, except the last unless {@code forceLast} (a new file's
   * caller forces it with the file's size). With a {@code growth}, moves its {@link
   * Growth#filledTo} past each piece and ends early once it is stopped. Returns where the zeros
   * end. Real zero blocks rather than a sparse file or fallocate's unwritten extents: a full disk
   * fails here, and later appends overwrite allocated blocks without metadata changes, so their
   * fdatasyncs carry no allocation work.
   */
  private long zeroFill(
      FileChannel ch, long from, long to, @Nullable Growth growth, boolean forceLast)
      throws IOException {
    ByteBuffer zeros = BufferPool.ZEROS.duplicate();
    long piece = PREPARE_FORCE_BYTES; // fits in ZEROS
    long p = from;
    while (p < to && (growth == null || !growth.stopped)) {
      long end = Math.min(to, (p / piece + 1) * piece);
      zeros.clear();
      zeros.limit((int) (end - p));
      Fs.writeFully(ch, zeros, p);
      p = end;
      if (p < to || forceLast) {
        ch.force(false);
      }
      if (growth != null) {
        growth.filled.set(p);
      }
    }
    return p;
  }

  /**
   * Moves a prepared segment into place and forces the directory. If either fails, the segment's
   * channel is closed here (the caller never gets it, and the log is fenced); a temporary file left
   * behind is removed at the next open.
   */
  void publish(Prepared p) throws IOException {
    try {
      opener.move(p.tmp(), dir.resolve(SegmentName.toFileName(p.id())));
      opener.forceDirectory(dir);
    } catch (IOException | RuntimeException e) {
      try {
        p.channel().close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Segment {@code id}, prepared: the one prepared ahead if it is that one (if it is still being
   * zero-filled, it stops after the piece in flight and comes with the zeros it has), else made
   * now.
   */
  Prepared take(long id) throws IOException {
    Future<Prepared> f = next;
    next = null;
    Growth g = preparing;
    preparing = null;
    if (f != null) {
      if (g != null && !f.isDone()) {
        g.stop(); // the rotation waits for the piece in flight, not for the step's worth of zeros
      }
      try {
        Prepared p = Uninterruptibly.get(f);
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

  /** This log's tasks queued or running (for tests). */
  int tasksTracked() {
    return tasks.size();
  }

  /** Drops every task of this log, for an open that failed. */
  void abandon() {
    shutDown(false);
  }

  /**
   * Stops preparing. A task that never started is dropped (never waited on); one already running
   * finishes (bounded: a zero-fill, of the active segment or of the one prepared ahead, stops after
   * its piece in flight), and a segment it prepared goes, unless {@code crash} (a killed process
   * leaves it; the next open removes it).
   */
  void shutDown(boolean crash) {
    for (Growth g : new Growth[] {growing, preparing}) {
      if (g != null) {
        g.stop(); // the zeros beyond what is written serve no one now
      }
    }
    // Future.cancel cannot tell the two apart: it "cancels" a running task and leaks its file.
    for (Task<?> t : tasks) {
      if (!t.drop()) {
        try {
          Uninterruptibly.get(t.result);
        } catch (ExecutionException | CancellationException e) {
          // Its failure mattered only to the writer, which is gone.
        }
      }
    }
    Future<Prepared> f = next;
    next = null;
    if (f != null && f.isDone() && !f.isCancelled()) {
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
}
