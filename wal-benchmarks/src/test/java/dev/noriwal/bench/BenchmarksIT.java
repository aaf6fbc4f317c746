package dev.noriwal.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Fork;

/**
 * Runs the benchmark commands README.md and RESULTS.md give, each cut to a fraction of a second per
 * cell: that every benchmark in {@code benchmarks.jar} runs and reports a score, that the forked
 * one-class form with {@code -jvmArgsAppend -Dbench.dir} writes where it is told, that {@code
 * paired.sh} prints its rounds and medians in both modes and refuses an ambiguous cell, and that
 * the relay's throughput benchmark runs against its real broker. Nothing here is a measurement: no
 * score is compared with anything but zero.
 */
class BenchmarksIT {
  private static final Path JAR = Paths.get("target", "benchmarks.jar");
  private static final String JAVA =
      Paths.get(System.getProperty("java.home"), "bin", "java").toString();

  /** Sizes small enough for a smoke run: each overrides a parameter of some benchmark. */
  private static final List<String> SMALL =
      List.of("-p", "logMiB=4", "-p", "records=2000", "-p", "idleLogs=10");

  @TempDir Path dir;

  private record Run(int exit, String out) {}

  private Run run(List<String> command, Map<String, String> env) throws Exception {
    Path log = Files.createTempFile(dir, "run", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("still running after 10 minutes: " + command);
    }
    return new Run(p.exitValue(), Files.readString(log, UTF_8));
  }

  private Run jmh(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(JAVA, "-Dbench.dir=" + dir, "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    return run(cmd, Map.of());
  }

  /** Benchmark name (without the {@code :p0.99} percentile rows) to its scores, from JMH's CSV. */
  private static Map<String, List<Double>> scores(Path csv) throws IOException {
    Map<String, List<Double>> out = new TreeMap<>();
    List<String> lines = Files.readAllLines(csv, UTF_8);
    assertTrue(lines.get(0).startsWith("\"Benchmark\",\"Mode\""), lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      String name = f[0].replace("\"", "");
      if (!name.contains(":")) {
        out.computeIfAbsent(name, k -> new ArrayList<>()).add(Double.parseDouble(f[4]));
      }
    }
    return out;
  }

  @Test
  void everyBenchmarkInTheJarRunsAndReportsAScore() throws Exception {
    Run list = jmh("-l");
    assertEquals(0, list.exit(), list.out());
    TreeSet<String> listed =
        list.out()
            .lines()
            .filter(l -> l.startsWith("dev.noriwal.bench."))
            .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(listed.size() >= 30, () -> "benchmarks listed: " + listed);

    Path csv = dir.resolve("all.csv");
    List<String> args =
        new ArrayList<>(
            List.of("-f", "0", "-wi", "0", "-i", "1", "-r", "100ms", "-rf", "csv", "-rff"));
    args.add(csv.toString());
    args.addAll(SMALL);
    Run all = jmh(args.toArray(String[]::new));
    assertEquals(0, all.exit(), all.out());
    assertTrue(!all.out().contains("<failure>"), all.out());
    Map<String, List<Double>> scores = scores(csv);
    assertEquals(listed, scores.keySet());
    scores.forEach(
        (name, s) ->
            assertTrue(
                s.stream().allMatch(v -> v > 0 && Double.isFinite(v)), () -> name + ": " + s));
  }

  /**
   * The README's forked form: {@code java -jar benchmarks.jar ARGS -jvmArgsAppend -Dbench.dir=...},
   * here with one 100 ms iteration per benchmark and the scores in {@code csv}.
   */
  private Run forkedOnce(Path csv, Path benchDir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(
        List.of(
            "-jvmArgsAppend",
            "-Dbench.dir=" + benchDir,
            "-wi",
            "0",
            "-i",
            "1",
            "-r",
            "100ms",
            "-rf",
            "csv",
            "-rff",
            csv.toString()));
    return run(cmd, Map.of());
  }

  @Test
  void theForkedOneClassFormHonoursBenchDir() throws Exception {
    Path benchDir = dir.resolve("bench-dir");
    Path csv = dir.resolve("read.csv");
    // README: java -jar benchmarks.jar ReadBenchmark -p logMiB=256 -jvmArgsAppend -Dbench.dir=...
    Run r = forkedOnce(csv, benchDir, "ReadBenchmark.engineRead$", "-p", "logMiB=4");
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains("# Fork: 1 of 1"), r.out());
    assertEquals(
        List.of("dev.noriwal.bench.ReadBenchmark.engineRead"), List.copyOf(scores(csv).keySet()));
    // Only the forked benchmark creates this directory (its teardown deletes what it put inside).
    assertTrue(Files.isDirectory(benchDir), "the fork did not use bench.dir " + benchDir);
  }

  @Test
  void chronicleRunsInItsClassesForksWhateverTheCommandLineAppends() throws Exception {
    // The classes' @Fork prepends chronicle.jvmargs; -jvmArgsAppend, as the README uses it for
    // bench.dir, must not take those options away (without them Chronicle cannot start on 17).
    Path csv = dir.resolve("chronicle.csv");
    Run r =
        forkedOnce(
            csv,
            dir,
            "OsBufferedBenchmark.chronicle$|ReplayBenchmark.chronicleReplayWarm$",
            "-p",
            "recordSize=100",
            "-p",
            "records=2000");
    assertEquals(0, r.exit(), r.out());
    assertTrue(!r.out().contains("<failure>"), r.out());
    assertEquals(
        List.of(
            "dev.noriwal.bench.OsBufferedBenchmark.chronicle",
            "dev.noriwal.bench.ReplayBenchmark.chronicleReplayWarm"),
        List.copyOf(scores(csv).keySet()));
    for (Class<?> c : List.of(OsBufferedBenchmark.class, ReplayBenchmark.class)) {
      List<String> prepended = List.of(c.getAnnotation(Fork.class).jvmArgsPrepend());
      assertTrue(
          prepended.containsAll(Files.readAllLines(Paths.get("chronicle.jvmargs"), UTF_8)),
          () -> c.getSimpleName() + "'s @Fork differs from chronicle.jvmargs: " + prepended);
    }
  }

  @Test
  void replayPairsRunsEveryCellWithTheChronicleArgFile() throws Exception {
    // RESULTS.md: java -Xms2g -Xmx2g -XX:+AlwaysPreTouch @wal-benchmarks/chronicle.jvmargs -cp
    // benchmarks.jar dev.noriwal.bench.ReplayPairs 15; here 1 round over 2,000 records.
    Run r =
        run(
            List.of(
                JAVA,
                "-Dbench.dir=" + dir,
                "@chronicle.jvmargs",
                "-cp",
                JAR.toString(),
                ReplayPairs.class.getName(),
                "1",
                "2000"),
            Map.of());
    assertEquals(0, r.exit(), r.out());
    List<String> cells =
        r.out().lines().filter(l -> l.contains(" ratio median ")).collect(Collectors.toList());
    assertEquals(8, cells.size(), r.out());
    for (String cell :
        List.of("replay next() warm", "chronicle replay warm", "chronicle replay cold")) {
      assertTrue(cells.stream().anyMatch(l -> l.startsWith(cell)), r.out());
    }
  }

  private Run paired(String... args) throws Exception {
    return pairedWith("-wi 0 -i 1 -r 200ms", args);
  }

  private Run pairedWith(String iterations, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", Paths.get("paired.sh").toString()));
    cmd.addAll(List.of(args));
    return run(cmd, Map.of("ITERATIONS", iterations + " -jvmArgsAppend -Dbench.dir=" + dir));
  }

  @Test
  void pairedShPrintsEachRoundAndTheMedianRatio() throws Exception {
    Run r = paired("2", "AlwaysBenchmark", "engine", "raw", "-p", "recordSize=256");
    assertEquals(0, r.exit(), r.out());
    Matcher round =
        Pattern.compile("(?m)^round \\d  engine=[0-9.]+  raw=[0-9.]+  ratio=([0-9.]+)$")
            .matcher(r.out());
    int rounds = 0;
    while (round.find()) {
      rounds++;
      assertTrue(Double.parseDouble(round.group(1)) > 0, r.out());
    }
    assertEquals(2, rounds, r.out());
    assertTrue(
        Pattern.compile("(?m)^median ratio [0-9.]+ over 2 rounds$").matcher(r.out()).find(),
        r.out());
  }

  @Test
  void pairedShComparesTheEngineWithChronicle() throws Exception {
    // README: paired.sh 6 OsBufferedBenchmark engine chronicle -p recordSize=100
    Run r = paired("1", "OsBufferedBenchmark", "engine", "chronicle", "-p", "recordSize=100");
    assertEquals(0, r.exit(), r.out());
    assertTrue(
        Pattern.compile("(?m)^round 1  engine=[0-9.]+  chronicle=[0-9.]+  ratio=[0-9.]+$")
            .matcher(r.out())
            .find(),
        r.out());
  }

  @Test
  void pairedShInSampleModeGivesPercentileRatios() throws Exception {
    Run r = paired("1", "GroupCommitBenchmark", "engine4", "raw4", "-bm", "sample", "-tu", "us");
    assertPercentileRound(r, "engine4", "raw4");
    assertTrue(
        Pattern.compile("(?m)^median engine/raw  p50 [0-9.]+  p99 [0-9.]+  p99.9 [0-9.]+$")
            .matcher(r.out())
            .find(),
        r.out());
  }

  @Test
  void pairedShInSingleShotModeTakesThePercentilesFromTheReport() throws Exception {
    // FreshLogBenchmark is single-shot (one append per iteration); JMH's CSV has no percentiles.
    Run r = pairedWith("-wi 0 -i 100", "1", "FreshLogBenchmark", "engine", "raw");
    assertPercentileRound(r, "engine", "raw");
  }

  /** A successful one-round latency run: both sides' mean and percentiles, and their ratios. */
  private static void assertPercentileRound(Run r, String engine, String raw) {
    assertEquals(0, r.exit(), r.out());
    String four = "=[0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+";
    assertTrue(
        Pattern.compile(
                "(?m)^round 1  mean/p50/p99/p99.9  "
                    + engine
                    + four
                    + "  "
                    + raw
                    + four
                    + "  speed=[0-9.]+  p50=[0-9.]+  p99=[0-9.]+  p99.9=[0-9.]+$")
            .matcher(r.out())
            .find(),
        r.out());
  }

  @Test
  void pairedShRefusesACellWithSeveralParameterValues() throws Exception {
    Run r = paired("1", "AlwaysBenchmark", "engine", "raw");
    assertEquals(1, r.exit(), r.out());
    assertTrue(r.out().contains("AlwaysBenchmark.engine gave 2 results, not 1"), r.out());
    assertTrue(r.out().contains("-p"), r.out());
  }

  @Test
  void relayThroughputBenchmarkRunsAgainstARealBroker() throws Exception {
    // README: ./mvnw -B -pl wal-benchmarks test-compile exec:exec@relay runs this main on the test
    // classpath with -Drelay.records and -Drelay.rounds; here with this test's own classpath.
    Run r =
        run(
            List.of(
                JAVA,
                "-Drelay.records=3000",
                "-Drelay.rounds=1",
                "-Djava.io.tmpdir=" + dir,
                "-cp",
                System.getProperty("java.class.path"),
                RelayThroughputBenchmark.class.getName()),
            Map.of());
    assertEquals(0, r.exit(), r.out());
    for (String size : List.of("| 100 B | 3,000 |", "| 1024 B | 1,000 |")) {
      assertTrue(r.out().contains(size), r.out());
    }
    assertTrue(r.out().contains("(median of 1 rounds)"), r.out());
  }
}
