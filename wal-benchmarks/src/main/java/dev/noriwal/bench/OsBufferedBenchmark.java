package dev.noriwal.bench;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.Position;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
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
 * {@code FsyncPolicy.os()} with one appending thread: appends are memory copies into the page
 * cache, forced only on rotation and close. The baseline in the same run is a raw buffered writer:
 * records copied into a 1 MiB direct buffer, one positional write when it is full, no force, over a
 * preallocated file that it overwrites in a ring. {@code rawCrc} is the same writer that also runs
 * CRC32C over each record, to show what the checksum alone costs. {@code rawAppend} is the same
 * writer appending to fresh files (a growing log) rather than overwriting a cached ring. {@code
 * chronicle} is Chronicle Queue appending the same bytes per record (see {@link ChronicleSupport}),
 * the peer issue 9 names: {@code paired.sh 6 OsBufferedBenchmark engine chronicle -p
 * recordSize=100} compares the two directly.
 *
 * <p>{@code recordSize} is the encoded record size on disk (8-byte key, framing and CRC included).
 *
 * <p>Run: {@code java -jar wal-benchmarks/target/benchmarks.jar OsBufferedBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    // chronicle.jvmargs, prepended: -jvmArgsAppend on the command line would replace an append list
    jvmArgsPrepend = {
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
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Threads(1)
public class OsBufferedBenchmark {

  /** The engine under {@code os()}. */
  @State(Scope.Benchmark)
  public static class Engine extends EngineState {
    @Param({"100", "1024"})
    public int recordSize;

    /** Diagnostics only ({@code -p preallocate=false}): the engine's own segment preparation. */
    @Param({"true"})
    public boolean preallocate;

    /** Diagnostics only ({@code -p segmentMiB=1024}): fewer rotations, each forcing the segment. */
    @Param({"128"})
    public int segmentMiB;

    /**
     * Diagnostics only ({@code -p policy=batch:5ms}, as {@code FsyncPolicy.parse} reads it): the
     * same appender under another policy, for {@code -prof gc}.
     */
    @Param({"os"})
    public String policy;

    @Override
    String name() {
      return "os-engine";
    }

    @Override
    WalConfig config(Path dir) {
      return WalConfig.builder(dir)
          .fsyncPolicy(FsyncPolicy.parse(policy))
          .preallocate(preallocate)
          .maxSegmentSize((long) segmentMiB << 20)
          .build();
    }

    @Override
    int encodedRecordSize() {
      return recordSize;
    }
  }

  /** A raw buffered writer: 1 MiB direct buffer, positional write when full. */
  @State(Scope.Benchmark)
  public static class Raw {
    static final long FILE_SIZE = 256L << 20;

    @Param({"100", "1024"})
    public int recordSize;

    Path dir;
    FileChannel ch;
    ByteBuffer buf;
    byte[] record;
    long pos;
    final CRC32C crc = new CRC32C();

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = BenchSupport.newDir("os-raw");
      ch = BenchSupport.zeroFilled(dir.resolve("raw.dat"), FILE_SIZE);
      buf = ByteBuffer.allocateDirect(1 << 20);
      record = BenchSupport.randomBytes(recordSize, 3);
    }

    void flush() throws IOException {
      buf.flip();
      if (pos + buf.remaining() > FILE_SIZE) {
        pos = 0;
      }
      pos += BenchSupport.writeFully(ch, buf, pos);
      buf.clear();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      flush();
      ch.close();
      BenchSupport.deleteTree(dir);
    }
  }

  /**
   * The same buffered writer appending to a growing log instead of a ring: a new (not preallocated)
   * 128 MiB file at a time, files deleted after each iteration. It pays what any log pays for fresh
   * page-cache pages and block allocation, which the ring above does not.
   */
  @State(Scope.Benchmark)
  public static class RawAppend {
    static final long FILE_SIZE = 128L << 20;

    @Param({"100", "1024"})
    public int recordSize;

    Path dir;
    FileChannel ch;
    ByteBuffer buf;
    byte[] record;
    long pos;
    int files;

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = BenchSupport.newDir("os-raw-append");
      buf = ByteBuffer.allocateDirect(1 << 20);
      record = BenchSupport.randomBytes(recordSize, 3);
      next();
    }

    private void next() throws IOException {
      if (ch != null) {
        ch.close();
      }
      ch =
          FileChannel.open(
              dir.resolve(String.format("%06d.dat", files++)),
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE);
      pos = 0;
    }

    void flush() throws IOException {
      buf.flip();
      if (pos + buf.remaining() > FILE_SIZE) {
        next();
      }
      pos += BenchSupport.writeFully(ch, buf, pos);
      buf.clear();
    }

    @TearDown(Level.Iteration)
    public void dropOld() throws IOException {
      Path current = dir.resolve(String.format("%06d.dat", files - 1));
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.filter(p -> !p.equals(current)).collect(Collectors.toList())) {
          Files.delete(p);
        }
      }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      flush();
      ch.close();
      BenchSupport.deleteTree(dir);
    }
  }

  /**
   * Chronicle Queue in a fresh directory, its default roll cycle, one appender: memory-mapped
   * writes, never forced, like {@code os()} and {@code rawAppend}. Its file is kept to the end of
   * the trial (Chronicle rolls by time, not size).
   */
  @State(Scope.Benchmark)
  public static class Chronicle {
    @Param({"100", "1024"})
    public int recordSize;

    Path dir;
    ChronicleQueue queue;
    ExcerptAppender appender;
    BytesStore<?, ?> payload;

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = BenchSupport.newDir("os-chronicle");
      queue = ChronicleSupport.open(dir);
      appender = queue.createAppender();
      payload = ChronicleSupport.payload(recordSize, 3);
    }

    @TearDown(Level.Trial)
    public void close() {
      appender.close();
      queue.close();
      BenchSupport.deleteTree(dir);
    }
  }

  @Benchmark
  public Position engine(Engine s) throws IOException {
    return s.wal.append(WalRecord.put(s.key, s.value));
  }

  /**
   * The same append by a caller that ignores the returned position, as most journaling callers do:
   * with {@code -prof gc} it shows what the engine itself allocates per append.
   */
  @Benchmark
  public void engineIgnoringPosition(Engine s) throws IOException {
    s.wal.append(WalRecord.put(s.key, s.value));
  }

  @Benchmark
  public int raw(Raw s) throws IOException {
    byte[] r = s.record;
    if (s.buf.remaining() < r.length) {
      s.flush();
    }
    s.buf.put(r);
    return s.buf.position();
  }

  @Benchmark
  public int rawAppend(RawAppend s) throws IOException {
    byte[] r = s.record;
    if (s.buf.remaining() < r.length) {
      s.flush();
    }
    s.buf.put(r);
    return s.buf.position();
  }

  @Benchmark
  public void chronicle(Chronicle s) {
    s.appender.writeBytes(s.payload);
  }

  @Benchmark
  public int rawCrc(Raw s) throws IOException {
    byte[] r = s.record;
    if (s.buf.remaining() < r.length) {
      s.flush();
    }
    CRC32C c = s.crc;
    c.reset();
    c.update(r, 0, r.length - 4);
    s.buf.put(r, 0, r.length - 4);
    s.buf.putInt((int) c.getValue());
    return s.buf.position();
  }
}
