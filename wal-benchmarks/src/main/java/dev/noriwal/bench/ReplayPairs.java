package dev.noriwal.bench;

import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link ReplayBenchmark}'s cells as paired rounds in one JVM, for a shared machine: each round
 * times one engine pass and one raw pass back to back (alternating which goes first) and keeps
 * their ratio, so load that drifts over seconds hits both halves alike. Prints, per cell, the
 * median engine and raw times and the median, minimum and maximum of the per-round ratios (raw time
 * / engine time: 1.0 means as fast as the raw pass).
 *
 * <p>The last two cells are Chronicle Queue holding the same records (see {@link
 * ChronicleSupport}), against the same raw pass over the engine's files.
 *
 * <p>Run (after {@code ./mvnw -pl wal-engine,wal-benchmarks -am package -DskipTests}): {@code java
 * -Xms2g -Xmx2g -XX:+AlwaysPreTouch @wal-benchmarks/chronicle.jvmargs -cp
 * wal-benchmarks/target/benchmarks.jar dev.noriwal.bench.ReplayPairs [rounds, default 15] [records,
 * default 200000]}.
 */
public final class ReplayPairs {
  private ReplayPairs() {}

  /** One timed pass. */
  interface Pass {
    long run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    ReplayBenchmark.Log log = new ReplayBenchmark.Log();
    log.records = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    log.build();
    ReplayBenchmark.Cold cold = new ReplayBenchmark.Cold();
    ReplayBenchmark.ChronicleLog chronicle = new ReplayBenchmark.ChronicleLog();
    chronicle.records = log.records;
    try {
      Pass raw = () -> ReplayBenchmark.rawPass(log.files, log.recordSize);
      try (Wal wal = Wal.open(WalConfig.builder(log.dir).preallocate(false).build())) {
        pairs("replay next() warm", rounds, () -> ReadBenchmark.replay(wal), raw, null);
        pairs("replay views warm", rounds, () -> ReadBenchmark.replayViews(wal), raw, null);
        pairs(
            "replay next() cold",
            rounds,
            () -> ReadBenchmark.replay(wal),
            raw,
            () -> cold.evict(log));
      }
      pairs("Wal.verify warm", rounds, () -> Wal.verify(log.dir).validRecords(), raw, null);
      chronicle.build();
      pairs(
          "chronicle replay warm",
          rounds,
          () -> ChronicleSupport.replay(chronicle.queue),
          raw,
          null);
      ReplayBenchmark.ChronicleCold chronicleCold = new ReplayBenchmark.ChronicleCold();
      pairs(
          "chronicle replay cold",
          rounds,
          () -> ChronicleSupport.replay(chronicle.queue),
          raw,
          () -> {
            chronicleCold.evict(chronicle); // closes and reopens the queue
            cold.evict(log); // and the raw pass reads the engine's files cold too
          });
      pairs("open after crash, warm", rounds, () -> crashOpen(log, true), raw, null);
      pairs("open after crash, no preallocation", rounds, () -> crashOpen(log, false), raw, null);
    } finally {
      if (chronicle.queue != null) {
        chronicle.remove();
      }
      log.remove();
    }
  }

  /** Deletes the marker, then times only the open; the close is outside the timing. */
  private static long crashOpen(ReplayBenchmark.Log log, boolean preallocate) throws IOException {
    Files.deleteIfExists(log.dir.resolve("clean-shutdown"));
    long t0 = System.nanoTime();
    Wal wal = Wal.open(WalConfig.builder(log.dir).preallocate(preallocate).build());
    long t = System.nanoTime() - t0;
    wal.close();
    return -t; // negative: the pass timed itself
  }

  /** A step before each timed pass (e.g. dropping the files from the page cache). */
  interface Before {
    void run() throws Exception;
  }

  private static void pairs(String cell, int rounds, Pass engine, Pass raw, Before before)
      throws Exception {
    for (int i = 0; i < 3; i++) { // warm-up
      time(engine, before);
      time(raw, before);
    }
    List<double[]> r = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      double e;
      double b;
      if (i % 2 == 0) {
        e = time(engine, before);
        b = time(raw, before);
      } else {
        b = time(raw, before);
        e = time(engine, before);
      }
      r.add(new double[] {e, b, b / e});
    }
    System.out.printf(
        "%-36s engine %8.1f ms  raw %8.1f ms  ratio median %.2f (min %.2f, max %.2f) over %d"
            + " rounds%n",
        cell, median(r, 0), median(r, 1), median(r, 2), min(r, 2), max(r, 2), rounds);
  }

  private static double time(Pass p, Before before) throws Exception {
    if (before != null) {
      before.run();
    }
    long t0 = System.nanoTime();
    long v = p.run();
    long t = System.nanoTime() - t0;
    return (v < 0 ? -v : t) / 1e6;
  }

  private static double median(List<double[]> r, int k) {
    double[] v = r.stream().mapToDouble(x -> x[k]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double min(List<double[]> r, int k) {
    return Arrays.stream(r.toArray(new double[0][])).mapToDouble(x -> x[k]).min().orElse(0);
  }

  private static double max(List<double[]> r, int k) {
    return Arrays.stream(r.toArray(new double[0][])).mapToDouble(x -> x[k]).max().orElse(0);
  }
}
