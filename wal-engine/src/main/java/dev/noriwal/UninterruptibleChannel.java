package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FileChannel} whose positional reads and writes, {@code force}, {@code truncate} and
 * {@code size} are not tied to the calling thread's interrupt status.
 *
 * <p>A plain {@code FileChannel} is an {@code AbstractInterruptibleChannel}: interrupting a thread
 * inside {@code write} or {@code force} closes the channel, and the {@code
 * ClosedByInterruptException} can hide the real outcome of a force (was there an EIO?). The log
 * would then have to fence itself, or reopen and force again, which could report success for data
 * the kernel already dropped. This channel delegates to an {@link AsynchronousFileChannel} opened
 * with an executor that runs every task on the calling thread: the JDK's implementation of that
 * channel (a file descriptor plus a set of native threads to signal on close) does not look at
 * interrupts, so an interrupt only sets the flag, which is left as it was. {@code
 * UninterruptibleChannelTest} checks that an interrupted thread can still write and force.
 *
 * <p>That channel allocates a future, a task and a boxed count for every read and write. A segment
 * opened for writing ({@link #openSegment}) therefore also holds a plain {@code FileChannel} of the
 * same file, through which its writes go without allocating. The calling thread's interrupt status
 * is cleared for the write and set again afterwards, so an interrupt that came before the write
 * cannot close that channel. If one lands during the write, the plain channel closes: the write is
 * done again, whole and at the same position, through the asynchronous channel, which takes every
 * later write too. Rewriting the same bytes at the same offset is idempotent, and nothing was
 * forced through the closed channel: forces, {@code truncate} and {@code size} always go through
 * the asynchronous channel, whose descriptor was opened first and so sees every write-back error of
 * the file. The plain channel is only for files that are never locked: closing any descriptor of a
 * file drops the process's POSIX locks on it.
 *
 * <p>Only what the log uses is supported: positional {@code read} and {@code write}, {@code force},
 * {@code truncate}, {@code size}, {@code tryLock}, {@code close}. Thread-safe as the JDK channel
 * is.
 */
final class UninterruptibleChannel extends FileChannel {
  /** Runs each task at once on the thread that submits it. */
  private static final class CallerRuns extends AbstractExecutorService {
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable task) {
      task.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return shutdown;
    }
  }

  private final AsynchronousFileChannel delegate;

  /**
   * The plain channel writes go through, or null: none was opened, or an interrupt closed it (then
   * writes go through {@link #delegate}).
   */
  private volatile @Nullable FileChannel writes;

  UninterruptibleChannel(AsynchronousFileChannel delegate, @Nullable FileChannel writes) {
    this.delegate = delegate;
    this.writes = writes;
  }

  /** A channel whose every call goes through the asynchronous channel (lock files, markers). */
  static FileChannel openFile(Path path, OpenOption... options) throws IOException {
    return new UninterruptibleChannel(
        AsynchronousFileChannel.open(path, Set.of(options), new CallerRuns()), null);
  }

  /**
   * A segment's channel: opened for writing, its writes go through a plain channel of their own
   * (see the class doc). Never for a file that is locked.
   */
  static FileChannel openSegment(Path path, OpenOption... options) throws IOException {
    AsynchronousFileChannel async =
        AsynchronousFileChannel.open(path, Set.of(options), new CallerRuns());
    if (!Set.of(options).contains(StandardOpenOption.WRITE)) {
      return new UninterruptibleChannel(async, null);
    }
    try {
      // Opened after the asynchronous channel, which created or truncated the file as asked.
      return new UninterruptibleChannel(async, FileChannel.open(path, StandardOpenOption.WRITE));
    } catch (IOException | RuntimeException e) {
      try {
        async.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The result of an operation that ran on this thread; waits without giving in to interrupts. */
  private static int result(Future<Integer> f) throws IOException {
    return Uninterruptibly.getOrThrow(f);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return result(delegate.read(dst, position));
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    FileChannel w = writes;
    if (w == null) {
      return result(delegate.write(src, position));
    }
    boolean interrupted = Thread.interrupted(); // set now, it would close w as the write begins
    int start = src.position();
    try {
      return w.write(src, position);
    } catch (ClosedByInterruptException e) {
      // An interrupt landed during the write and closed w (whatever it wrote is rewritten below).
      interrupted = true;
      writes = null;
      src.position(start);
      return result(delegate.write(src, position));
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether writes still go through the plain channel (for tests). */
  boolean writesDirectly() {
    return writes != null;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    delegate.force(metaData);
  }

  @Override
  public long size() throws IOException {
    return delegate.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    delegate.truncate(size);
    return this;
  }

  @Override
  protected void implCloseChannel() throws IOException {
    FileChannel w = writes;
    writes = null;
    try {
      if (w != null) {
        w.close();
      }
    } finally {
      delegate.close();
    }
  }

  private static UnsupportedOperationException unsupported(String what) {
    return new UnsupportedOperationException(
        what + " is not supported by the log's uninterruptible channel; use positional calls");
  }

  @Override
  public int read(ByteBuffer dst) {
    throw unsupported("read without a position");
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) {
    throw unsupported("scattering read");
  }

  @Override
  public int write(ByteBuffer src) {
    throw unsupported("write without a position");
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw unsupported("gathering write");
  }

  @Override
  public long position() {
    throw unsupported("position");
  }

  @Override
  public FileChannel position(long newPosition) {
    throw unsupported("position");
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) {
    throw unsupported("transferTo");
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw unsupported("transferFrom");
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) {
    throw unsupported("map");
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) {
    throw unsupported("lock");
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return delegate.tryLock(position, size, shared);
  }
}
