package dev.noriwal.bench;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.Position;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code FsyncPolicy.always()} with 4, 16 and 64 appending threads, 1 KiB records: throughput comes
 * from group commit (many records per force). The baseline in the same run is an ideal raw group
 * commit: producers enqueue a 1 KiB direct buffer and park; one flusher thread drains everything
 * pending, writes it with one gathering write into a preallocated zero-filled file, forces once and
 * unparks all of them. No encoding, no CRC, no positions: the floor any group-commit log pays.
 *
 * <p>Scores are records per second summed over all threads. For the latency of each append (p50,
 * p99, p99.9 of engine and baseline in one run), add {@code -bm sample -tu us}.
 *
 * <p>Run: {@code java -jar wal-benchmarks/target/benchmarks.jar GroupCommitBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class GroupCommitBenchmark {
  static final int RECORD_SIZE = 1024;

  /** The engine under {@code always()}, shared by all threads. */
  @State(Scope.Benchmark)
  public static class Engine extends EngineState {
    /** Diagnostics only ({@code -p preallocate=false}): the engine's own segment preparation. */
    @Param({"true"})
    public boolean preallocate;

    /** Diagnostics only ({@code -p segmentMiB=1536}): fewer rotations and segment preparations. */
    @Param({"128"})
    public int segmentMiB;

    @Override
    String name() {
      return "group-engine";
    }

    @Override
    WalConfig config(Path dir) {
      return WalConfig.builder(dir)
          .fsyncPolicy(FsyncPolicy.always())
          .preallocate(preallocate)
          .maxSegmentSize((long) segmentMiB << 20)
          .build();
    }

    @Override
    int encodedRecordSize() {
      return RECORD_SIZE;
    }
  }

  /** Each thread's own key (so records differ by thread, as they would in an application). */
  @State(Scope.Thread)
  public static class Key {
    byte[] key;

    @Setup(Level.Trial)
    public void make() {
      key = BenchSupport.randomBytes(BenchSupport.KEY_LENGTH, Thread.currentThread().getId());
    }
  }

  /** One producer's pending write: its buffer, its thread and a completion flag. */
  @State(Scope.Thread)
  public static class Request {
    ByteBuffer buf;
    Thread thread;
    volatile boolean done;

    @Setup(Level.Trial)
    public void make() {
      buf = BenchSupport.randomDirect(RECORD_SIZE, Thread.currentThread().getId());
      thread = Thread.currentThread();
    }
  }

  /** The ideal raw group-commit log: one flusher thread, a lock-free queue, park/unpark. */
  @State(Scope.Benchmark)
  public static class RawGroupCommit {
    static final long FILE_SIZE = 256L << 20;
    static final int MAX_BATCH = 1024;

    final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
    Path dir;
    FileChannel ch;
    Thread flusher;
    volatile boolean running;
    volatile boolean sleeping;
    volatile Throwable failure;
    volatile long records;
    volatile long forces;
    volatile long forceNanos;
    long recordsBefore;
    long forcesBefore;
    long forceNanosBefore;

    @Setup(Level.Trial)
    public void start() throws IOException {
      dir = BenchSupport.newDir("group-raw");
      ch = BenchSupport.zeroFilled(dir.resolve("raw.dat"), FILE_SIZE);
      running = true;
      flusher = new Thread(this::flushLoop, "raw-group-commit-flusher");
      flusher.setDaemon(true);
      flusher.start();
    }

    void submit(Request r) {
      r.done = false;
      r.buf.clear();
      queue.offer(r);
      if (sleeping) {
        LockSupport.unpark(flusher);
      }
      while (!r.done) {
        LockSupport.park(this);
        if (failure != null) {
          throw new IllegalStateException("flusher failed", failure);
        }
      }
    }

    // records, forces and forceNanos have one writer, this thread; others only read them.
    @SuppressWarnings("NonAtomicVolatileUpdate")
    private void flushLoop() {
      Request[] batch = new Request[MAX_BATCH];
      ByteBuffer[] bufs = new ByteBuffer[MAX_BATCH];
      long pos = 0;
      try {
        while (running) {
          int n = 0;
          long bytes = 0;
          Request r;
          while (n < MAX_BATCH && (r = queue.poll()) != null) {
            batch[n] = r;
            bufs[n] = r.buf;
            bytes += r.buf.remaining();
            n++;
          }
          if (n == 0) {
            sleeping = true;
            if (queue.isEmpty() && running) {
              LockSupport.park(this);
            }
            sleeping = false;
            continue;
          }
          if (pos + bytes > FILE_SIZE) {
            pos = 0;
          }
          ch.position(pos);
          long left = bytes;
          while (left > 0) {
            left -= ch.write(bufs, 0, n);
          }
          pos += bytes;
          long t0 = System.nanoTime();
          ch.force(false);
          forceNanos += System.nanoTime() - t0;
          forces++;
          records += n;
          for (int i = 0; i < n; i++) {
            Request q = batch[i];
            batch[i] = null;
            bufs[i] = null;
            q.done = true;
            LockSupport.unpark(q.thread);
          }
        }
      } catch (IOException e) {
        failure = new UncheckedIOException(e);
      } catch (Throwable t) {
        failure = t;
      }
    }

    @Setup(Level.Iteration)
    public void snapshot() {
      recordsBefore = records;
      forcesBefore = forces;
      forceNanosBefore = forceNanos;
    }

    @TearDown(Level.Iteration)
    public void report() {
      long r = records - recordsBefore;
      long f = forces - forcesBefore;
      System.out.printf(
          "[raw] %d records, %d forces (%.1f records/force, mean force %.0f us)%n",
          r,
          f,
          f == 0 ? 0.0 : (double) r / f,
          f == 0 ? 0.0 : (forceNanos - forceNanosBefore) / 1e3 / f);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      running = false;
      LockSupport.unpark(flusher);
      flusher.join(10_000);
      ch.close();
      BenchSupport.deleteTree(dir);
    }
  }

  @Benchmark
  @Threads(4)
  public Position engine4(Engine s, Key k) throws IOException {
    return s.wal.append(WalRecord.put(k.key, s.value));
  }

  @Benchmark
  @Threads(16)
  public Position engine16(Engine s, Key k) throws IOException {
    return s.wal.append(WalRecord.put(k.key, s.value));
  }

  @Benchmark
  @Threads(64)
  public Position engine64(Engine s, Key k) throws IOException {
    return s.wal.append(WalRecord.put(k.key, s.value));
  }

  @Benchmark
  @Threads(4)
  public void raw4(RawGroupCommit g, Request r) {
    g.submit(r);
  }

  @Benchmark
  @Threads(16)
  public void raw16(RawGroupCommit g, Request r) {
    g.submit(r);
  }

  @Benchmark
  @Threads(64)
  public void raw64(RawGroupCommit g, Request r) {
    g.submit(r);
  }
}
