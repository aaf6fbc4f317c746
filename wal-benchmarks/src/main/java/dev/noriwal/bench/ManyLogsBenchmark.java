package dev.noriwal.bench;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.Position;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A server with many small logs: {@code idleLogs} logs (1 MiB segments, {@code batch(5 ms)}, one
 * record each, then idle) share the JVM with one busy {@code always()} log whose 1 KiB appends are
 * measured; {@code idleLogs=0} is the busy log alone, the baseline of the same run. Before
 * measuring it prints what the idle logs hold: threads (all of them, and how many are the JVM-wide
 * {@code nori-wal-writer-N} threads), direct memory (in all, and per idle log) and disk ({@code
 * [idle]}). Logs have no thread of their own: the writer threads are a bounded pool shared by all
 * logs and end after 1 s idle.
 *
 * <p>Run: {@code java -jar wal-benchmarks/target/benchmarks.jar ManyLogsBenchmark} (0, 100 and
 * 1,000 idle logs; {@code -p idleLogs=...} for others).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Threads(1)
public class ManyLogsBenchmark {

  @State(Scope.Benchmark)
  public static class Logs {
    @Param({"0", "100", "1000"})
    public int idleLogs;

    Path root;
    final List<Wal> idle = new ArrayList<>();
    Wal busy;
    byte[] key;
    byte[] value;

    @Setup(Level.Trial)
    public void open() throws IOException, InterruptedException {
      root = BenchSupport.newDir("many-logs");
      int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
      long directBefore = directMemory();
      for (int i = 0; i < idleLogs; i++) {
        Wal w =
            Wal.open(
                WalConfig.builder(root.resolve("idle-" + i))
                    .maxSegmentSize(1L << 20)
                    .fsyncPolicy(FsyncPolicy.batch(Duration.ofMillis(5)))
                    .build());
        idle.add(w);
        w.append(WalRecord.put(new byte[] {(byte) i}, new byte[100]));
      }
      // Twice: 1 s after the last append, and 3 s after (a log gives its staging chunk back
      // after 1 s without work), then after a GC: direct buffers that the JVM-wide pool did not
      // keep count as used until the collector finds them.
      for (int seconds : new int[] {1, 3}) {
        Thread.sleep(seconds == 1 ? 1000 : 2000);
        if (seconds == 3) {
          System.gc();
          Thread.sleep(200);
        }
        long direct = directMemory() - directBefore;
        System.out.printf(
            "[idle] %d logs, %d s%s: +%d threads (%d nori-wal-writer), +%.1f MiB direct memory"
                + " (%.1f KiB per idle log), %.1f MiB on disk%n",
            idleLogs,
            seconds,
            seconds == 3 ? " and a GC" : "",
            ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore,
            writerThreads(),
            direct / 1048576.0,
            idleLogs == 0 ? 0.0 : direct / 1024.0 / idleLogs,
            BenchSupport.treeSize(root) / 1048576.0);
      }
      busy =
          Wal.open(
              WalConfig.builder(root.resolve("busy")).fsyncPolicy(FsyncPolicy.always()).build());
      key = BenchSupport.randomBytes(BenchSupport.KEY_LENGTH, 1);
      value = BenchSupport.randomBytes(BenchSupport.valueLengthFor(1024), 2);
    }

    @TearDown(Level.Iteration)
    public void dropSealed() throws IOException {
      busy.deleteSegmentsBefore(busy.currentPosition());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      busy.close();
      for (Wal w : idle) {
        w.close();
      }
      BenchSupport.deleteTree(root);
    }

    private static long writerThreads() {
      return Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("nori-wal-writer"))
          .count();
    }

    private static long directMemory() {
      for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
        if (pool.getName().equals("direct")) {
          return pool.getMemoryUsed();
        }
      }
      return 0;
    }
  }

  @Benchmark
  public Position busyAppend(Logs s) throws IOException {
    return s.busy.append(WalRecord.put(s.key, s.value));
  }
}
