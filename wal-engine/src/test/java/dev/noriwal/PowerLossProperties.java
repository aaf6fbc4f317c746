package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Power cuts through {@link PowerCutFs}: unforced pages survive in any subset. Each try runs {@code
 * -Dpowerloss.rounds=N} cuts (default 1); the default build runs the tries below.
 *
 * <pre>
 * mvn -pl wal-engine test -Dtest=PowerLossProperties -Dpowerloss.rounds=20
 * </pre>
 */
class PowerLossProperties {
  static final int ROUNDS = Integer.getInteger("powerloss.rounds", 1);

  static byte[] value(long id, int size) {
    byte[] v = new byte[size];
    Random r = new Random(id);
    for (int i = 0; i < size; i++) {
      v[i] = (byte) (1 + r.nextInt(255)); // never zero: no zero-filled page inside a value
    }
    return v;
  }

  static FsyncPolicy policy(int which) {
    return switch (which) {
      case 0 -> FsyncPolicy.always();
      case 1 -> FsyncPolicy.batch(Duration.ofMillis(5));
      default -> FsyncPolicy.os();
    };
  }

  static Path freshDir() throws IOException {
    return Files.createTempDirectory("powerloss");
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static List<String> keys(Wal wal) throws IOException {
    List<String> out = new ArrayList<>();
    try (WalReader r = wal.readFrom(Position.START)) {
      for (WalEntry e; (e = r.next()) != null; ) {
        out.add(new String(e.record().key(), StandardCharsets.US_ASCII));
      }
    }
    return out;
  }

  /**
   * Under every policy the default open succeeds after a power cut, the log is a prefix of what was
   * appended, and under {@code always()} it holds every acknowledged append.
   */
  @Property(tries = 12)
  void afterAPowerCutTheDefaultOpenSucceedsAndKeepsAPrefixWithEveryForcedAppend(
      @ForAll @IntRange(min = 0, max = 2) int policy,
      @ForAll @IntRange(min = 1, max = 4) int appenders,
      @ForAll @IntRange(min = 20, max = 400) int appendsEach,
      @ForAll @IntRange(min = 10, max = 9000) int valueSize,
      @ForAll long seed)
      throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      Path dir = freshDir();
      try {
        runOneCut(dir, policy(policy), appenders, appendsEach, valueSize, new Random(seed + round));
      } finally {
        delete(dir);
      }
    }
  }

  private void runOneCut(
      Path dir, FsyncPolicy policy, int appenders, int appendsEach, int valueSize, Random random)
      throws Exception {
    PowerCutFs fs = new PowerCutFs();
    WalConfig config = WalConfig.builder(dir).maxSegmentSize(1 << 20).fsyncPolicy(policy).build();
    SegmentedWal wal = SegmentedWal.open(config, fs);
    List<List<String>> acked = new ArrayList<>();
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (int t = 0; t < appenders; t++) {
      List<String> mine = new ArrayList<>();
      acked.add(mine);
      int id = t;
      runs.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < appendsEach; i++) {
                    String key = id + "-" + i;
                    wal.append(
                        WalRecord.put(
                            key.getBytes(StandardCharsets.US_ASCII), value(i, valueSize)));
                    synchronized (mine) {
                      mine.add(key);
                    }
                  }
                } catch (Exception e) {
                  // the crash below stops appenders that are still running
                }
              }));
    }
    Thread.sleep(random.nextInt(30));
    wal.crashForTesting();
    for (CompletableFuture<Void> r : runs) {
      r.join();
    }
    fs.cut(random, random.nextDouble());
    try (Wal reopened = Wal.open(config)) { // the default mode: no operator needed
      List<String> got = keys(reopened);
      // Per appender, what survived is a prefix of what it appended, in order.
      for (int t = 0; t < appenders; t++) {
        String prefix = t + "-";
        List<String> mine = got.stream().filter(k -> k.startsWith(prefix)).toList();
        for (int i = 0; i < mine.size(); i++) {
          assertEquals(prefix + i, mine.get(i), "a hole in appender " + t + "'s records");
        }
        if (policy instanceof FsyncPolicy.Always) {
          List<String> ack;
          synchronized (acked.get(t)) {
            ack = List.copyOf(acked.get(t));
          }
          assertTrue(
              mine.size() >= ack.size(),
              "always(): acknowledged " + ack.size() + " but only " + mine.size() + " survived");
        }
      }
    }
  }

  /**
   * A bit flip in bytes that were forced is corruption: anywhere in a sealed segment, and in the
   * value of any record but the log's last one in the last segment.
   */
  @Property(tries = 20)
  void aBitFlipInForcedBytesIsCorruptionNotATornTail(
      @ForAll @IntRange(min = 20, max = 300) int records,
      @ForAll @IntRange(min = 10, max = 9000) int valueSize,
      @ForAll long seed)
      throws Exception {
    Path dir = freshDir();
    try {
      Random random = new Random(seed);
      WalConfig config =
          WalConfig.builder(dir).maxSegmentSize(1 << 20).fsyncPolicy(FsyncPolicy.always()).build();
      List<Position> positions = new ArrayList<>();
      try (Wal wal = Wal.open(config)) {
        for (int i = 0; i < records; i++) {
          positions.add(
              wal.append(
                  WalRecord.put(
                      ("k" + i).getBytes(StandardCharsets.US_ASCII), value(i, valueSize))));
        }
        ((SegmentedWal) wal).crashForTesting(); // no marker: the next open scans
      }
      int victim = random.nextInt(records - 1); // any record but the last
      Position at = positions.get(victim);
      long end =
          victim + 1 < positions.size() && positions.get(victim + 1).segmentId() == at.segmentId()
              ? positions.get(victim + 1).offset()
              : Files.size(dir.resolve(SegmentName.toFileName(at.segmentId())));
      // The value's bytes end 4 bytes (the CRC) before the record's end.
      long offset = end - 4 - 1 - random.nextInt(valueSize);
      Path seg = dir.resolve(SegmentName.toFileName(at.segmentId()));
      byte[] all = Files.readAllBytes(seg);
      all[(int) offset] ^= (byte) (1 << random.nextInt(8));
      Files.write(seg, all);
      CorruptLogException e = assertThrows(CorruptLogException.class, () -> Wal.open(config));
      assertEquals(seg.getFileName().toString(), e.segment());
    } finally {
      delete(dir);
    }
  }
}
