package dev.noriwal.bench;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.Position;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import dev.noriwal.WalStats;
import java.io.IOException;
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
 * The first 1,000 appends a user meets: each fork opens a fresh directory, and every measured
 * iteration is exactly one {@code always()} append (single shot, no warm-up), so the score's
 * percentiles (p50, p90, p99, p99.9 over 1,000 × forks appends) are the latency of a fresh log's
 * first second, preparation of its segments and a cold JIT included. The baseline in the same run
 * writes the same bytes with {@code write} + {@code force(false)} into a file zero-filled before
 * timing, equally cold.
 *
 * <p>Run: {@code java -jar wal-benchmarks/target/benchmarks.jar FreshLogBenchmark} (about a minute;
 * {@code -f 10} for steadier tails).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(5)
@Warmup(iterations = 0)
@Measurement(iterations = 1000, batchSize = 1)
public class FreshLogBenchmark {

  /** A fresh log per fork, as an application creates it at its first start. */
  @State(Scope.Benchmark)
  public static class Engine {
    @Param({"1024"})
    public int recordSize;

    /** Diagnostics only ({@code -p preallocate=false}): the share of the zero-fill ahead. */
    @Param({"true"})
    public boolean preallocate;

    Path dir;
    Wal wal;
    WalStats opened;
    byte[] key;
    byte[] value;

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = BenchSupport.newDir("fresh-engine");
      key = BenchSupport.randomBytes(BenchSupport.KEY_LENGTH, 1);
      value = BenchSupport.randomBytes(BenchSupport.valueLengthFor(recordSize), 2);
      wal =
          Wal.open(
              WalConfig.builder(dir)
                  .fsyncPolicy(FsyncPolicy.always())
                  .preallocate(preallocate)
                  .build());
      opened = wal.stats();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      System.out.println(BenchSupport.fsyncLine(opened, wal.stats()));
      wal.close();
      BenchSupport.deleteTree(dir);
    }
  }

  /** A file of real zero blocks, made before timing starts. */
  @State(Scope.Benchmark)
  public static class Raw extends RawState {
    @Param({"1024"})
    public int recordSize;

    @Override
    String name() {
      return "fresh-raw";
    }

    @Override
    long fileSize() {
      return 8L << 20;
    }

    @Override
    int recordSize() {
      return recordSize;
    }
  }

  @Benchmark
  public Position engine(Engine s) throws IOException {
    return s.wal.append(WalRecord.put(s.key, s.value));
  }

  @Benchmark
  public long raw(Raw s) throws IOException {
    return s.writeAndForce();
  }
}
