package dev.noriwal.bench;

import dev.noriwal.Position;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalEntry;
import dev.noriwal.WalReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
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
 * A full sequential read of a warm log (in the page cache) with {@link WalReader}, against a raw
 * pass over the same segment files: 1 MiB direct buffer reads plus {@code java.util.zip.CRC32C}
 * over every byte. Each operation is one full pass; the log ({@code logMiB}, 1 KiB records) is
 * written once per trial and read once before timing so it is warm.
 *
 * <p>Throughput in MB/s = logMiB × 1.048576 / score (seconds per pass).
 *
 * <p>Run: {@code java -jar wal-benchmarks/target/benchmarks.jar ReadBenchmark} ({@code -p
 * logMiB=256} for a smaller log).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 4)
@Measurement(iterations = 5)
@State(Scope.Benchmark)
public class ReadBenchmark {
  @Param({"1024"})
  public int logMiB;

  Path dir;
  Wal wal;
  List<Path> files;

  @Setup(Level.Trial)
  public void build() throws IOException {
    dir = BenchSupport.newDir("read");
    BenchSupport.buildLog(dir, (long) logMiB << 20, 1024);
    files = BenchSupport.segmentFiles(dir);
    rawReadCrc(files);
    wal = Wal.open(WalConfig.builder(dir).preallocate(false).build());
  }

  @TearDown(Level.Trial)
  public void remove() throws IOException {
    wal.close();
    BenchSupport.deleteTree(dir);
  }

  @Benchmark
  public long engineRead() throws IOException {
    return replay(wal);
  }

  /** One pass with {@code next()}: every record copied into a {@code WalEntry}. */
  static long replay(Wal wal) throws IOException {
    long records = 0;
    long bytes = 0;
    try (WalReader r = wal.readFrom(Position.START)) {
      WalEntry e;
      while ((e = r.next()) != null) {
        records++;
        bytes += e.record().value().length;
      }
    }
    return records ^ bytes;
  }

  /** The same scan through zero-copy {@code RecordView}s: no key or value copies. */
  @Benchmark
  public long engineReadView() throws IOException {
    return replayViews(wal);
  }

  /** One pass through zero-copy {@code RecordView}s. */
  static long replayViews(Wal wal) throws IOException {
    long[] acc = new long[2];
    try (WalReader r = wal.readFrom(Position.START)) {
      while (r.poll(
              v -> {
                acc[0]++;
                acc[1] += v.value().remaining();
              },
              Integer.MAX_VALUE)
          > 0) {
        // poll returns 0 once the reader has caught up
      }
    }
    return acc[0] ^ acc[1];
  }

  @Benchmark
  public long rawReadCrc() throws IOException {
    return rawReadCrc(files);
  }

  /** Reads every byte of {@code files} with a 1 MiB direct buffer and CRC32Cs it. */
  static long rawReadCrc(List<Path> files) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    CRC32C crc = new CRC32C();
    for (Path f : files) {
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
        long pos = 0;
        int n;
        while ((n = ch.read(buf.clear(), pos)) > 0) {
          pos += n;
          buf.flip();
          crc.update(buf);
        }
      }
    }
    return crc.getValue();
  }
}
