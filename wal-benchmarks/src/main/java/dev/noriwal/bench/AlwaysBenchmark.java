package dev.noriwal.bench;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.Position;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code FsyncPolicy.always()} with one appending thread: every append waits for its own force. The
 * baseline in the same run is the best a Java program can do for the same bytes: {@code
 * FileChannel.write(buf, pos)} then {@code force(false)} in a loop over a preallocated, zero-filled
 * file (overwriting allocated blocks, so fdatasync commits no metadata; the engine's segments are
 * prepared the same way).
 *
 * <p>{@code recordSize} is the encoded record size on disk (8-byte key, nori-wal framing and CRC32C
 * included); the baseline writes exactly that many bytes per operation.
 *
 * <p>Run: {@code java -jar wal-benchmarks/target/benchmarks.jar AlwaysBenchmark} (add {@code
 * -jvmArgsAppend -Dbench.dir=DIR} to choose the disk).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Threads(1)
public class AlwaysBenchmark {

  /** The engine under {@code always()}. */
  @State(Scope.Benchmark)
  public static class Engine extends EngineState {
    @Param({"1024", "256"})
    public int recordSize;

    @Override
    String name() {
      return "always-engine";
    }

    @Override
    WalConfig config(Path dir) {
      return WalConfig.builder(dir).fsyncPolicy(FsyncPolicy.always()).build();
    }

    @Override
    int encodedRecordSize() {
      return recordSize;
    }
  }

  /** A raw write + force(false) loop over a preallocated file. */
  @State(Scope.Benchmark)
  public static class Raw extends RawState {
    @Param({"1024", "256"})
    public int recordSize;

    @Override
    String name() {
      return "always-raw";
    }

    @Override
    long fileSize() {
      return 128L << 20;
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

  /** The same append by a caller that ignores the returned position (see {@code -prof gc}). */
  @Benchmark
  public void engineIgnoringPosition(Engine s) throws IOException {
    s.wal.append(WalRecord.put(s.key, s.value));
  }

  @Benchmark
  public long raw(Raw s) throws IOException {
    return s.writeAndForce();
  }
}
