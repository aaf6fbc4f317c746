package dev.noriwal.bench;

import dev.noriwal.Position;
import dev.noriwal.RecordView;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * Where the time of a {@code next()} replay goes, for issue 9: the W4 log of {@link
 * ReplayBenchmark} read warm in rounds of five passes in rotating order, each timed alone: the raw
 * pass, the zero-copy view pass, the view pass plus a fresh key and value array per record (the
 * copies {@code next()} must hand out), the view pass plus {@code toRecord()} and two positions
 * (what {@code next()} builds, outside the reader), and {@code next()} itself. Then a cold cell:
 * raw, {@code next()}, and {@code next()} while another thread reads the same files ahead into the
 * page cache (what a read-ahead thread inside the reader could at best give). Prints the quartiles
 * of each pass after dropping the first quarter of the rounds.
 *
 * <p>Everything runs on the main thread except the cold cell's read-ahead thread, which shares
 * nothing with it but the files (its own channel and buffer, no lock); the main thread joins it
 * before the next pass.
 *
 * <p>Run (after {@code ./mvnw -pl wal-engine,wal-benchmarks -am package -DskipTests}): {@code java
 * -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp wal-benchmarks/target/benchmarks.jar
 * dev.noriwal.bench.ReplayParts [rounds, default 40]}.
 */
public final class ReplayParts {
  private ReplayParts() {}

  /** One pass. */
  interface Pass {
    long run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    ReplayBenchmark.Log log = new ReplayBenchmark.Log();
    log.records = 200_000;
    log.build();
    ReplayBenchmark.Cold cold = new ReplayBenchmark.Cold();
    try (Wal wal = Wal.open(WalConfig.builder(log.dir).preallocate(false).build())) {
      Pass raw = () -> ReplayBenchmark.rawPass(log.files, log.recordSize);
      cell(
          "warm",
          rounds,
          null,
          List.of(
              "raw",
              "views",
              "views + key/value arrays",
              "views + toRecord + 2 positions",
              "next()"),
          List.of(
              raw,
              () -> views(wal, 0),
              () -> views(wal, 1),
              () -> views(wal, 2),
              () -> ReadBenchmark.replay(wal)));
      cell(
          "cold",
          rounds / 2,
          () -> cold.evict(log),
          List.of("raw", "next()", "next() + read-ahead thread"),
          List.of(
              raw,
              () -> ReadBenchmark.replay(wal),
              () -> {
                Thread ahead = new Thread(() -> readAll(log.files), "read-ahead");
                ahead.setDaemon(true);
                ahead.start();
                long v = ReadBenchmark.replay(wal);
                ahead.join();
                return v;
              }));
    } finally {
      log.remove();
    }
  }

  private static void cell(
      String cell, int rounds, ReplayPairs.Before before, List<String> names, List<Pass> passes)
      throws Exception {
    int k = passes.size();
    double[][] t = new double[k][rounds];
    for (int i = 0; i < rounds; i++) {
      for (int j = 0; j < k; j++) {
        int m = (i + j) % k;
        if (before != null) {
          before.run();
        }
        long t0 = System.nanoTime();
        passes.get(m).run();
        t[m][i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    for (int m = 0; m < k; m++) {
      double[] v = Arrays.copyOfRange(t[m], rounds / 4, rounds);
      Arrays.sort(v);
      System.out.printf(
          "%-5s %-32s p25 %7.1f ms  p50 %7.1f ms  p75 %7.1f ms%n",
          cell, names.get(m), v[v.length / 4], v[v.length / 2], v[v.length * 3 / 4]);
    }
  }

  /** A view pass: 0 reads the value's length, 1 copies key and value, 2 builds what next() does. */
  private static long views(Wal wal, int what) throws IOException {
    long[] acc = new long[2];
    RecordView.Handler h =
        v -> {
          acc[0]++;
          if (what == 0) {
            acc[1] += v.value().remaining();
          } else if (what == 1) {
            ByteBuffer k = v.key();
            ByteBuffer x = v.value();
            byte[] key = new byte[k.remaining()];
            byte[] value = new byte[x.remaining()];
            k.get(0, key);
            x.get(0, value);
            acc[1] += value.length + key.length;
          } else {
            Position at = v.position();
            Position next = v.next();
            acc[1] += v.toRecord().value().length + next.offset() - at.offset();
          }
        };
    try (WalReader r = wal.readFrom(Position.START)) {
      while (r.poll(h, 4096) > 0) {
        // until caught up
      }
    }
    return acc[0] ^ acc[1];
  }

  /** Reads every file once into a buffer of its own: pulls them into the page cache. */
  private static void readAll(List<Path> files) {
    ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
    try {
      for (Path f : files) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
          long pos = 0;
          int n;
          while ((n = ch.read(b.clear(), pos)) > 0) {
            pos += n;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
