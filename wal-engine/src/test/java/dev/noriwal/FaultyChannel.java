package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A {@link FileChannel} wrapper that injects faults: fail the Nth write or force, tear a write
 * after k bytes, cap each write at a few bytes (short writes). Shared by the engine's fault tests.
 */
class FaultyChannel extends FileChannel {

  /** Fault plan shared by every channel one opener hands out. */
  static final class Plan {
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger forces = new AtomicInteger();
    volatile int failWriteNumber = -1;
    volatile int tearAfterBytes = -1;
    volatile int failForceNumber = -1;
    volatile int maxBytesPerWrite = Integer.MAX_VALUE;
    volatile boolean failAllForces;
    volatile Predicate<Path> noSpaceFor = p -> false;
    volatile Predicate<Path> readErrorFor = p -> false;
    volatile boolean failMoves;
    volatile long writeDelayMillis;

    /** A slow zero-fill: delays writes from read-only buffers (only the preparer's zeros are). */
    volatile long zeroWriteDelayMillis;

    /** Which files the counted write and force faults apply to (all, unless narrowed). */
    volatile Predicate<Path> countedFaultsFor = p -> true;

    volatile boolean failDirectoryForces;

    /** Runs before each segment deletion, on the deleting thread (to hold a deletion half done). */
    volatile java.util.function.Consumer<Path> beforeDelete = p -> {};

    /**
     * When set, counted forces wait for it to open (a force that takes as long as the test says).
     */
    volatile java.util.concurrent.CountDownLatch forceGate;

    /** Counted forces that are waiting at {@link #forceGate}. */
    final AtomicInteger forcesWaiting = new AtomicInteger();

    /** The most bytes any one channel had written and not yet forced, at any moment. */
    final AtomicLong mostUnforcedBytes = new AtomicLong();

    ChannelOpener opener() {
      Plan plan = this;
      return new ChannelOpener() {
        @Override
        public FileChannel open(Path path, java.nio.file.OpenOption... options) throws IOException {
          return new FaultyChannel(ChannelOpener.system().open(path, options), plan, path);
        }

        @Override
        public void move(Path from, Path to) throws IOException {
          if (failMoves) {
            throw new IOException("Permission denied (injected rename of " + from + ")");
          }
          ChannelOpener.super.move(from, to);
        }

        @Override
        public void delete(Path file) throws IOException {
          beforeDelete.accept(file);
          ChannelOpener.super.delete(file);
        }

        @Override
        public void forceDirectory(Path dir) throws IOException {
          if (failDirectoryForces) {
            throw new IOException("Input/output error (injected directory force of " + dir + ")");
          }
          ChannelOpener.super.forceDirectory(dir);
        }
      };
    }
  }

  private final FileChannel delegate;
  private final Plan plan;
  private final Path path;

  /** Bytes written through this channel since its last force. */
  private final AtomicLong unforced = new AtomicLong();

  FaultyChannel(FileChannel delegate, Plan plan, Path path) {
    this.delegate = delegate;
    this.plan = plan;
    this.path = path;
  }

  static ChannelOpener opener(Plan plan) {
    return plan.opener();
  }

  private int doWrite(ByteBuffer src, long position) throws IOException {
    if (plan.noSpaceFor.test(path)) {
      throw new IOException("No space left on device (injected) writing " + path);
    }
    int n = plan.countedFaultsFor.test(path) ? plan.writes.incrementAndGet() : -1;
    long delay = plan.writeDelayMillis + (src.isReadOnly() ? plan.zeroWriteDelayMillis : 0);
    if (delay > 0) {
      try {
        Thread.sleep(delay); // a slow disk
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (n > 0 && n == plan.failWriteNumber) { // n is -1 for files the counted faults skip
      if (plan.tearAfterBytes > 0 && src.remaining() > plan.tearAfterBytes) {
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + plan.tearAfterBytes);
        delegate.write(part, position);
      }
      throw new IOException("Input/output error (injected on write #" + n + ")");
    }
    if (src.remaining() > plan.maxBytesPerWrite) {
      ByteBuffer part = src.duplicate();
      part.limit(part.position() + plan.maxBytesPerWrite);
      int w = delegate.write(part, position);
      src.position(src.position() + w);
      return w;
    }
    return delegate.write(src, position);
  }

  private int counted(int written) {
    plan.mostUnforcedBytes.accumulateAndGet(unforced.addAndGet(written), Math::max);
    return written;
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return counted(doWrite(src, position));
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int n = counted(doWrite(src, delegate.position()));
    delegate.position(delegate.position() + n);
    return n;
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      total += write(srcs[i]);
    }
    return total;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    boolean counted = plan.countedFaultsFor.test(path);
    int n = counted ? plan.forces.incrementAndGet() : -1;
    if (counted && (plan.failAllForces || n == plan.failForceNumber)) {
      throw new IOException("Input/output error (injected on force #" + n + ")");
    }
    java.util.concurrent.CountDownLatch gate = plan.forceGate;
    if (counted && gate != null) {
      plan.forcesWaiting.incrementAndGet();
      boolean interrupted = false;
      while (true) {
        try {
          gate.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      plan.forcesWaiting.decrementAndGet();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    long before = unforced.get();
    delegate.force(metaData);
    unforced.addAndGet(-before); // what was written during the force may not be in it
  }

  private void checkRead() throws IOException {
    if (plan.readErrorFor.test(path)) {
      throw new IOException("Input/output error (injected read of " + path + ")");
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    checkRead();
    return delegate.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return delegate.read(dsts, offset, length);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    checkRead();
    return delegate.read(dst, position);
  }

  @Override
  public long position() throws IOException {
    return delegate.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    delegate.position(newPosition);
    return this;
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
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return delegate.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    return delegate.transferFrom(src, position, count);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return delegate.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return delegate.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return delegate.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    delegate.close();
  }
}
