package dev.noriwal.bench;

import dev.noriwal.RecoveryInfo;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * Recovery of a warm log ({@code logMiB}, 1 KiB records, written once per trial):
 *
 * <ul>
 *   <li>{@code verifyScan}: {@code Wal.verify(dir)}, the read-only full scan;
 *   <li>{@code openAfterCrash}: {@code Wal.open} after the {@code clean-shutdown} marker was
 *       deleted, as after a crash, so recovery scans everything;
 *   <li>{@code reopenClean}: {@code Wal.open} after a clean close (the marker lets it skip the
 *       scan; expect milliseconds);
 *   <li>{@code rawReadCrc}: the baseline, a raw 1 MiB-buffer read plus CRC32C of the same files.
 * </ul>
 *
 * <p>Each operation is one open or pass; the opened log is closed outside the timed region.
 *
 * <p>Run: {@code java -jar wal-benchmarks/target/benchmarks.jar RecoveryBenchmark} ({@code -p
 * logMiB=256} for a smaller log).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 4)
@Measurement(iterations = 5)
public class RecoveryBenchmark {

  /** The warm log, built once per trial and closed cleanly. */
  @State(Scope.Benchmark)
  public static class Log {
    @Param({"1024"})
    public int logMiB;

    Path dir;
    List<Path> files;

    @Setup(Level.Trial)
    public void build() throws IOException {
      dir = BenchSupport.newDir("recovery");
      BenchSupport.buildLog(dir, (long) logMiB << 20, 1024);
      files = BenchSupport.segmentFiles(dir);
      ReadBenchmark.rawReadCrc(files);
    }

    WalConfig config() {
      return WalConfig.builder(dir).build();
    }

    @TearDown(Level.Trial)
    public void remove() {
      BenchSupport.deleteTree(dir);
    }
  }

  /** Holds the log opened by a benchmark so it is closed (cleanly) outside the timing. */
  @State(Scope.Thread)
  public static class Opened {
    Wal wal;

    @TearDown(Level.Invocation)
    public void close() throws IOException {
      if (wal != null) {
        wal.close();
        wal = null;
      }
    }
  }

  /** Deletes the clean-shutdown marker before each invocation: the next open must scan. */
  @State(Scope.Thread)
  public static class Crashed {
    @Setup(Level.Invocation)
    public void crash(Log log) throws IOException {
      Files.deleteIfExists(log.dir.resolve("clean-shutdown"));
    }
  }

  @Benchmark
  public RecoveryInfo verifyScan(Log log) throws IOException {
    return Wal.verify(log.dir);
  }

  @Benchmark
  public RecoveryInfo openAfterCrash(Log log, Crashed crashed, Opened o) throws IOException {
    o.wal = Wal.open(log.config());
    return o.wal.recoveryInfo();
  }

  @Benchmark
  public RecoveryInfo reopenClean(Log log, Opened o) throws IOException {
    o.wal = Wal.open(log.config());
    return o.wal.recoveryInfo();
  }

  @Benchmark
  public long rawReadCrc(Log log) throws IOException {
    return ReadBenchmark.rawReadCrc(log.files);
  }
}
