package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Model-based: a random sequence of append, sync, reopen, crash (drop unsynced bytes, keeping an
 * arbitrary prefix of them, possibly torn) and truncate (delete sealed segments), checked after
 * every step against an in-memory list: every synced record survives, in order, and nothing that
 * was not appended ever appears.
 */
class WalProperties {
  private Path dir;

  sealed interface Op permits Append, Sync, Reopen, Crash, Truncate {}

  record Append(int size) implements Op {}

  record Sync() implements Op {}

  record Reopen() implements Op {}

  /** Crash, then keep {@code keepPermille}/1000 of the unsynced bytes of the active segment. */
  record Crash(int keepPermille) implements Op {}

  record Truncate() implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(10, Arbitraries.integers().between(0, 40_000).map(Append::new)),
            net.jqwik.api.Tuple.of(3, Arbitraries.just(new Sync())),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Reopen())),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 1000).map(Crash::new)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Truncate())));
    return op.list().ofMinSize(1).ofMaxSize(40);
  }

  @BeforeTry
  void makeDir() throws Exception {
    dir = Files.createTempDirectory("nori-wal-model");
  }

  @AfterTry
  void removeDir() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private FsyncPolicy policy = FsyncPolicy.os();

  private WalConfig config() {
    return WalConfig.builder(dir)
        .maxSegmentSize(1 << 20)
        .fsyncPolicy(policy)
        .preallocate(policy != FsyncPolicy.os())
        .build();
  }

  private static byte[] value(int id, int size) {
    byte[] v = new byte[size];
    for (int i = 0; i < size; i++) {
      v[i] = (byte) (id * 31 + i);
    }
    return v;
  }

  private static List<Integer> read(Wal wal) throws Exception {
    List<Integer> ids = new ArrayList<>();
    try (WalReader r = wal.readFrom(Position.START)) {
      for (WalEntry e; (e = r.next()) != null; ) {
        int id = Integer.parseInt(new String(e.record().key(), StandardCharsets.UTF_8));
        assertTrue(
            Arrays.equals(value(id, e.record().value().length), e.record().value()),
            "record " + id + " reads back byte-exact");
        ids.add(id);
      }
    }
    return ids;
  }

  @Property(tries = 60)
  void everySyncedRecordSurvivesInOrder(@ForAll("ops") List<Op> ops) throws Exception {
    policy = FsyncPolicy.os();
    check(ops);
  }

  /** Under always() every returned append is durable: a crash keeps all of them. */
  @Property(tries = 30)
  void underAlwaysEveryAcknowledgedAppendSurvives(@ForAll("ops") List<Op> ops) throws Exception {
    policy = FsyncPolicy.always();
    check(ops);
  }

  private void check(List<Op> ops) throws Exception {
    List<Integer> model = new ArrayList<>(); // records in the log, in order
    int synced = 0; // model.subList(0, synced) is durable
    int nextId = 0;
    int dropped = 0; // records removed from the front by truncate
    SegmentedWal wal = SegmentedWal.open(config());
    try {
      for (Op op : ops) {
        if (op instanceof Append a) {
          wal.append(
              WalRecord.put(
                  Integer.toString(nextId).getBytes(StandardCharsets.UTF_8),
                  value(nextId, a.size())));
          model.add(nextId++);
          if (policy == FsyncPolicy.always()) {
            synced = model.size();
          }
        } else if (op instanceof Sync) {
          wal.sync();
          synced = model.size();
        } else if (op instanceof Reopen) {
          wal.close();
          wal = SegmentedWal.open(config());
          synced = model.size();
        } else if (op instanceof Crash c) {
          Position durable = wal.stats().durablePosition();
          wal.crashForTesting();
          dropUnsynced(durable, c.keepPermille());
          wal = SegmentedWal.open(config());
          List<Integer> got = read(wal);
          // What survives: all synced records, then a prefix of the unsynced ones, in order.
          assertTrue(got.size() >= synced, "lost synced records: " + got + " vs " + model);
          assertEquals(model.subList(0, got.size()), got);
          model = new ArrayList<>(got);
          synced = model.size();
          continue;
        } else if (op instanceof Truncate) {
          wal.sync();
          synced = model.size();
          List<SegmentInfo> before = wal.segments();
          wal.deleteSegmentsBefore(wal.currentPosition());
          if (before.size() > 1) {
            List<Integer> got = read(wal);
            assertTrue(model.size() >= got.size());
            assertEquals(model.subList(model.size() - got.size(), model.size()), got);
            dropped += model.size() - got.size();
            model = new ArrayList<>(got);
            synced = model.size();
          }
          continue;
        }
        wal.sync(); // make everything visible to the check below (readers stop at durable)
        synced = model.size();
        assertEquals(model, read(wal), "after " + op);
      }
    } finally {
      if (wal.state() != WalState.CLOSED) {
        wal.close();
      }
    }
    assertTrue(dropped >= 0);
  }

  /** Power loss: the active segment keeps only part of what was written after the durable point. */
  private void dropUnsynced(Position durable, int keepPermille) throws Exception {
    Path seg = dir.resolve(SegmentName.toFileName(durable.segmentId()));
    if (!Files.exists(seg)) {
      return;
    }
    long size = Files.size(seg);
    long keep = durable.offset() + (size - durable.offset()) * keepPermille / 1000;
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(keep);
    }
    // Later segments hold only unsynced data (durable is in an earlier one): they vanish.
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        SegmentName.parse(p.getFileName().toString())
            .filter(n -> n.id() > durable.segmentId())
            .ifPresent(n -> p.toFile().delete());
      }
    }
  }
}
