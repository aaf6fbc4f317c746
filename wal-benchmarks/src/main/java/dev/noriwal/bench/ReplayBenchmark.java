package dev.noriwal.bench;

import dev.noriwal.RecoveryInfo;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import net.openhft.chronicle.queue.ChronicleQueue;
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
 * Issue 9's W4 row and crash-open scan: one full replay of a {@code records}-record log of 1 KiB
 * records (200k by default, ~200 MiB) through {@code readFrom(START)}, each beside a raw baseline
 * over the same files in the same run. The baseline reads the files with a 1 MiB direct buffer and
 * computes CRC32C over every record's covered bytes (what any reader of the format must do at
 * least), walking the records by their known size.
 *
 * <ul>
 *   <li>{@code replayWarm} / {@code replayViewWarm} / {@code rawWarm}: the files are in the page
 *       cache ({@code next()} copies key and value into a {@code WalEntry}; the view is zero-copy).
 *   <li>{@code replayCold} / {@code rawCold}: before every pass each segment file is dropped from
 *       the page cache with {@code dd iflag=nocache count=0} ({@code posix_fadvise(DONTNEED)},
 *       which needs no root; the files are forced first so none of their pages is dirty). The
 *       device then serves every byte; readahead is the kernel's default for both.
 *   <li>{@code openAfterCrash} / {@code openAfterCrashNoPreallocation} / {@code verifyScan}: {@code
 *       Wal.open} with the clean-shutdown marker deleted (a full recovery scan), with the default
 *       config and with {@code preallocate(false)}, and the read-only scan of {@code Wal.verify},
 *       all warm, against {@code rawWarm}.
 *   <li>{@code chronicleReplayWarm} / {@code chronicleReplayCold}: Chronicle Queue, the peer issue
 *       9 names, holding the same number of records in the same bytes each (see {@link
 *       ChronicleSupport}), read from the start by a tailer that copies each payload into a new
 *       array as {@code next()} does, against {@code rawWarm} / {@code rawCold} over the engine's
 *       files.
 * </ul>
 *
 * <p>The fork runs with a fixed, pre-touched 2 GiB heap: otherwise the first passes of the
 * allocating replays pay for the heap growing (page faults on fresh eden), which the raw loop,
 * allocating nothing, never does.
 *
 * <p>Each operation is one full pass; scores are the mean time per pass over 2 s iterations.
 *
 * <p>Run: {@code java -jar wal-benchmarks/target/benchmarks.jar ReplayBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    // Prepend: -jvmArgsAppend on the command line (e.g. -Dbench.dir) would replace an append list.
    jvmArgsPrepend = {
      "-Xms2g",
      "-Xmx2g",
      "-XX:+AlwaysPreTouch",
      // chronicle.jvmargs
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "-Dchronicle.analytics.disable=true"
    })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class ReplayBenchmark {
  static final int RECORD_SIZE = 1024;

  /** The log, built once per trial and closed cleanly. */
  @State(Scope.Benchmark)
  public static class Log {
    @Param({"200000"})
    public int records;

    Path dir;
    List<Path> files;
    int recordSize;

    @Setup(Level.Trial)
    public void build() throws IOException {
      dir = BenchSupport.newDir("replay");
      BenchSupport.buildLog(dir, (long) records * RECORD_SIZE, RECORD_SIZE);
      files = BenchSupport.segmentFiles(dir);
      recordSize = RECORD_SIZE;
      BenchSupport.forceAll(files); // the cold passes must be able to drop every page
      rawPass(files, recordSize);
    }

    @TearDown(Level.Trial)
    public void remove() {
      BenchSupport.deleteTree(dir);
    }
  }

  /** The log opened for reading, once per trial. */
  @State(Scope.Benchmark)
  public static class Opened {
    Wal wal;

    @Setup(Level.Trial)
    public void open(Log log) throws IOException {
      wal = Wal.open(WalConfig.builder(log.dir).preallocate(false).build());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      wal.close();
    }
  }

  /** The same records in a Chronicle queue, built once per trial and opened for reading. */
  @State(Scope.Benchmark)
  public static class ChronicleLog {
    @Param({"200000"})
    public int records;

    Path dir;
    List<Path> files;
    ChronicleQueue queue;

    @Setup(Level.Trial)
    public void build() throws IOException {
      dir = BenchSupport.newDir("replay-chronicle");
      ChronicleSupport.build(dir, records, RECORD_SIZE);
      files = ChronicleSupport.files(dir);
      BenchSupport.forceAll(files); // the cold passes must be able to drop every page
      queue = ChronicleSupport.open(dir);
      ChronicleSupport.replay(queue);
    }

    @TearDown(Level.Trial)
    public void remove() {
      queue.close();
      BenchSupport.deleteTree(dir);
    }
  }

  /** Drops the log's files from the page cache before every pass. */
  @State(Scope.Thread)
  public static class Cold {
    @Setup(Level.Invocation)
    public void evict(Log log) throws IOException, InterruptedException {
      evict(log.files);
    }

    /** Drops {@code files} from the page cache (they must have no dirty pages). */
    static void evict(List<Path> files) throws IOException, InterruptedException {
      for (Path f : files) {
        Process p =
            new ProcessBuilder("dd", "if=" + f, "iflag=nocache", "count=0", "status=none")
                .inheritIO()
                .start();
        if (p.waitFor() != 0) {
          throw new IOException("dd could not drop " + f + " from the page cache");
        }
      }
    }
  }

  /**
   * Drops the Chronicle queue's files from the page cache before every pass. Pages a process has
   * mapped are not dropped, so the queue is closed first and opened again (outside the timing).
   */
  @State(Scope.Thread)
  public static class ChronicleCold {
    @Setup(Level.Invocation)
    public void evict(ChronicleLog log) throws IOException, InterruptedException {
      log.queue.close();
      Cold.evict(log.files);
      log.queue = ChronicleSupport.open(log.dir);
    }
  }

  /** Deletes the clean-shutdown marker before each open, and closes the log after it. */
  @State(Scope.Thread)
  public static class Crashed {
    Wal wal;

    @Setup(Level.Invocation)
    public void crash(Log log) throws IOException {
      Files.deleteIfExists(log.dir.resolve("clean-shutdown"));
    }

    @TearDown(Level.Invocation)
    public void close() throws IOException {
      if (wal != null) {
        wal.close();
        wal = null;
      }
    }
  }

  @Benchmark
  public long replayWarm(Opened o) throws IOException {
    return ReadBenchmark.replay(o.wal);
  }

  @Benchmark
  public long replayViewWarm(Opened o) throws IOException {
    return ReadBenchmark.replayViews(o.wal);
  }

  @Benchmark
  public long rawWarm(Log log) throws IOException {
    return rawPass(log.files, log.recordSize);
  }

  @Benchmark
  public long replayCold(Opened o, Cold c) throws IOException {
    return ReadBenchmark.replay(o.wal);
  }

  @Benchmark
  public long rawCold(Log log, Cold c) throws IOException {
    return rawPass(log.files, log.recordSize);
  }

  @Benchmark
  public long chronicleReplayWarm(ChronicleLog q) {
    return ChronicleSupport.replay(q.queue);
  }

  @Benchmark
  public long chronicleReplayCold(ChronicleLog q, ChronicleCold c) {
    return ChronicleSupport.replay(q.queue);
  }

  @Benchmark
  public RecoveryInfo openAfterCrash(Log log, Crashed c) throws IOException {
    c.wal = Wal.open(WalConfig.builder(log.dir).build());
    return c.wal.recoveryInfo();
  }

  /** The same without preallocation, so the open does no zero-fill beside the scan. */
  @Benchmark
  public RecoveryInfo openAfterCrashNoPreallocation(Log log, Crashed c) throws IOException {
    c.wal = Wal.open(WalConfig.builder(log.dir).preallocate(false).build());
    return c.wal.recoveryInfo();
  }

  @Benchmark
  public RecoveryInfo verifyScan(Log log) throws IOException {
    return Wal.verify(log.dir);
  }

  /**
   * Reads every file with a 1 MiB direct buffer and CRC32Cs each record's covered bytes, stepping
   * by the known record size (the files hold only {@code recordSize}-byte records and zero tails).
   */
  static long rawPass(List<Path> files, int recordSize) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    CRC32C crc = new CRC32C();
    long acc = 0;
    for (Path f : files) {
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
        long pos = 0;
        int n;
        while ((n = ch.read(buf.clear(), pos)) > 0) {
          int whole = n / recordSize * recordSize;
          if (whole == 0) {
            break;
          }
          for (int at = 0; at < whole; at += recordSize) {
            crc.reset();
            crc.update(buf.limit(at + recordSize - 4).position(at));
            acc += crc.getValue();
          }
          pos += whole;
        }
      }
    }
    return acc;
  }
}
