package dev.noriwal.bench;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import dev.noriwal.WalStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Shared helpers: benchmark directories, record sizing that makes the engine and the raw baselines
 * write exactly the same number of bytes per record, zero-filled files and a warm log builder.
 *
 * <p>Benchmark files go under the system property {@code bench.dir} (pass it with {@code
 * -jvmArgsAppend -Dbench.dir=/some/dir}), else {@code java.io.tmpdir}. Put it on the disk you want
 * to measure.
 */
final class BenchSupport {
  /** Key length used by every benchmark record. */
  static final int KEY_LENGTH = 8;

  private BenchSupport() {}

  static Path newDir(String prefix) throws IOException {
    String base = System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"));
    Path root = Paths.get(base);
    Files.createDirectories(root);
    return Files.createTempDirectory(root, prefix);
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Forces every file in {@code files}, so that none keeps a dirty page: a cold pass can then drop
   * them all from the page cache.
   */
  static void forceAll(List<Path> files) throws IOException {
    for (Path f : files) {
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
    }
  }

  /** Bytes of every regular file under {@code dir}. */
  static long treeSize(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      long t = 0;
      for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
        t += Files.size(p);
      }
      return t;
    }
  }

  static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** Bytes nori-wal's format uses for a plain put with these key and value lengths. */
  static int encodedSize(int keyLength, int valueLength) {
    return varintSize(keyLength) + varintSize(valueLength) + 1 + keyLength + valueLength + 4;
  }

  /** The value length whose encoded record (8-byte key, no TTL) is exactly {@code recordSize}. */
  static int valueLengthFor(int recordSize) {
    for (int v = recordSize; v >= 0; v--) {
      if (encodedSize(KEY_LENGTH, v) == recordSize) {
        return v;
      }
    }
    throw new IllegalArgumentException("no value length encodes to " + recordSize + " bytes");
  }

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A direct buffer of {@code n} random bytes, ready to write. */
  static ByteBuffer randomDirect(int n, long seed) {
    ByteBuffer b = ByteBuffer.allocateDirect(n);
    b.put(randomBytes(n, seed)).flip();
    return b;
  }

  /** Creates {@code file} filled with real zero blocks (not sparse) and forces it. */
  static FileChannel zeroFilled(Path file, long size) throws IOException {
    FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
    for (long p = 0; p < size; ) {
      zeros.clear();
      zeros.limit((int) Math.min(zeros.capacity(), size - p));
      p += writeFully(ch, zeros, p);
    }
    ch.force(true);
    return ch;
  }

  /** Writes all of {@code src} at {@code position}; returns the bytes written. */
  static int writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
    int n = 0;
    while (src.hasRemaining()) {
      n += ch.write(src, position + n);
    }
    return n;
  }

  /**
   * One line of engine diagnostics for the interval between two stats snapshots: records per force
   * and the mean force time, printed by the benchmarks after each iteration.
   */
  static String fsyncLine(WalStats before, WalStats after) {
    long records = after.recordsAppended() - before.recordsAppended();
    long forces = after.fsyncCount() - before.fsyncCount();
    long nanos = after.fsyncTotalNanos() - before.fsyncTotalNanos();
    return String.format(
        "[engine] %d records, %d forces (%.1f records/force, mean force %.0f us, max so far %.1f ms),"
            + " %d rotations so far",
        records,
        forces,
        forces == 0 ? 0.0 : (double) records / forces,
        forces == 0 ? 0.0 : nanos / 1e3 / forces,
        after.fsyncMaxNanos() / 1e6,
        after.rotations());
  }

  /** The segment files of a log directory, in log order. */
  static List<Path> segmentFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".wal"))
          .sorted(Comparator.comparingLong(BenchSupport::segmentId))
          .collect(Collectors.toList());
    }
  }

  private static long segmentId(Path p) {
    String n = p.getFileName().toString();
    return Long.parseLong(n.substring(0, n.length() - ".wal".length()));
  }

  static long totalSize(List<Path> files) throws IOException {
    long t = 0;
    for (Path p : files) {
      t += Files.size(p);
    }
    return t;
  }

  /**
   * Writes a log of at least {@code bytes} bytes of {@code recordSize}-byte records (os() policy,
   * default 128 MiB segments, no preallocation so it is quick; the sealed files are the same bytes
   * either way) and closes it cleanly. Returns the number of records.
   */
  static long buildLog(Path dir, long bytes, int recordSize) throws IOException {
    byte[] value = randomBytes(valueLengthFor(recordSize), 42);
    byte[] key = new byte[KEY_LENGTH];
    long records = (bytes + recordSize - 1) / recordSize;
    try (Wal wal =
        Wal.open(WalConfig.builder(dir).fsyncPolicy(FsyncPolicy.os()).preallocate(false).build())) {
      for (long i = 0; i < records; i++) {
        long k = i;
        for (int j = 0; j < KEY_LENGTH; j++) {
          key[j] = (byte) (k >>> (8 * j));
        }
        wal.append(WalRecord.put(key.clone(), value));
      }
    }
    return records;
  }
}
