package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Random mutations of a valid segment (anchors scenario 20): verification, reading and every
 * recovery mode end with a result or a checked, located exception; never an unchecked exception, a
 * hang or an unbounded allocation (the test JVM's heap would say so).
 */
class SegmentFuzzProperties {
  private Path dir;

  @BeforeTry
  void makeDir() throws Exception {
    dir = Files.createTempDirectory("nori-wal-fuzz");
  }

  @AfterTry
  void removeDir() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static byte[] segment() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 40; i++) {
      byte[] rec =
          RecordFormat.encode(
              WalRecord.put(("k" + i).getBytes(StandardCharsets.UTF_8), new byte[i * 13 % 300]));
      out.write(rec, 0, rec.length);
    }
    return out.toByteArray();
  }

  static final int SIZE = segment().length;

  @Provide
  Arbitrary<List<Tuple.Tuple2<Integer, Integer>>> mutations() {
    return Arbitraries.integers()
        .between(0, SIZE - 1)
        .flatMap(at -> Arbitraries.integers().between(0, 255).map(v -> Tuple.of(at, v)))
        .list()
        .ofMinSize(1)
        .ofMaxSize(12);
  }

  @Property(tries = 150)
  void mutatedSegmentsNeverEscapeAsUncheckedErrors(
      @ForAll("mutations") List<Tuple.Tuple2<Integer, Integer>> mutations,
      @ForAll RecoveryMode mode)
      throws Exception {
    byte[] seg = segment();
    for (Tuple.Tuple2<Integer, Integer> m : mutations) {
      seg[m.get1()] = (byte) (int) m.get2();
    }
    Files.write(dir.resolve("000000.wal"), seg);
    Files.write(dir.resolve("000001.wal"), segment());
    RecoveryInfo info = Wal.verify(dir);
    assertTrue(info.validRecords() <= 80);
    try (WalReader r = Wal.readAtRest(dir, Position.START)) {
      while (r.next() != null) {
        // read until the end or the first damage
      }
    } catch (CorruptLogException expected) {
      assertTrue(expected.segment().endsWith(".wal"));
    }
    try (Wal wal =
        Wal.open(WalConfig.builder(dir).maxSegmentSize(1 << 20).recoveryMode(mode).build())) {
      try (WalReader r = wal.readFrom(Position.START)) {
        int n = 0;
        while (r.next() != null) {
          n++;
        }
        assertTrue(n <= 80);
      }
    } catch (CorruptLogException expected) {
      assertTrue(
          mode == RecoveryMode.TOLERATE_TORN_TAIL, "only the strict mode refuses: " + expected);
    }
  }
}
