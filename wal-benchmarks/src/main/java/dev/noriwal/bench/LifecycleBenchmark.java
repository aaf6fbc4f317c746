package dev.noriwal.bench;

import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a log costs before it does any work: {@code Wal.open} of an empty directory and {@code
 * close()} of an idle log (one record, then left alone for half a second), each a single shot on a
 * fresh directory, with the default configuration a user gets unless they change it. After every
 * open and before every close it prints the bytes the log's directory holds ({@code [footprint]}
 * lines; preallocated segments are real zero blocks, so their size is what the disk gives them).
 * There is no raw baseline: the goal is absolute (a few milliseconds, and no more disk than the
 * active segment plus what the write rate needs).
 *
 * <p>Run: {@code java -jar wal-benchmarks/target/benchmarks.jar LifecycleBenchmark} ({@code -p
 * segmentMiB=1} for the segment size a server with many small logs would choose).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 3)
@Measurement(iterations = 20)
@State(Scope.Benchmark)
public class LifecycleBenchmark {

  /** 0 means the engine's default segment size. */
  @Param({"0"})
  public int segmentMiB;

  WalConfig config(Path dir) {
    WalConfig.Builder b = WalConfig.builder(dir);
    if (segmentMiB > 0) {
      b.maxSegmentSize((long) segmentMiB << 20);
    }
    return b.build();
  }

  /** An empty directory per shot; the log opened in it is closed after the shot. */
  @State(Scope.Thread)
  public static class Empty {
    Path dir;
    Wal wal;

    @Setup(Level.Iteration)
    public void create() throws IOException {
      dir = BenchSupport.newDir("open-fresh");
    }

    @TearDown(Level.Iteration)
    public void remove() throws IOException {
      footprint("after open", dir);
      wal.close();
      BenchSupport.deleteTree(dir);
    }
  }

  /** A log with one record, idle for half a second, to be closed by the shot. */
  @State(Scope.Thread)
  public static class Idle {
    Path dir;
    Wal wal;

    @Setup(Level.Iteration)
    public void openAndIdle(LifecycleBenchmark b) throws IOException, InterruptedException {
      dir = BenchSupport.newDir("close-idle");
      wal = Wal.open(b.config(dir));
      wal.append(WalRecord.put(new byte[] {1}, new byte[100]));
      wal.sync();
      Thread.sleep(500);
      footprint("idle", dir);
    }

    @TearDown(Level.Iteration)
    public void remove() {
      BenchSupport.deleteTree(dir);
    }
  }

  @Benchmark
  public Wal openFresh(Empty s) throws IOException {
    s.wal = Wal.open(config(s.dir));
    return s.wal;
  }

  @Benchmark
  public void closeIdle(Idle s) throws IOException {
    s.wal.close();
  }

  static void footprint(String what, Path dir) {
    try {
      System.out.printf("[footprint] %s: %.1f MiB%n", what, BenchSupport.treeSize(dir) / 1048576.0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
