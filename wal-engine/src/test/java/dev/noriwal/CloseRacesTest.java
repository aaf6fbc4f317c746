package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edges where {@code close()} meets other work: a segment deletion in progress, and a roll whose
 * publish failed (the two "suspected, not reproduced" cases of the engine-edges issue).
 */
class CloseRacesTest {
  @TempDir Path dir;

  private static final byte[] VALUE = new byte[200];

  private WalConfig.Builder config() {
    return WalConfig.builder(dir).maxSegmentSize(1 << 20).fsyncPolicy(FsyncPolicy.always());
  }

  private static Set<String> segmentFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      TreeSet<String> names = new TreeSet<>();
      s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wal")).forEach(names::add);
      return names;
    }
  }

  /** Files of {@code dir} this process still holds open, read from {@code /proc/self/fd}. */
  private static List<String> openFilesUnder(Path dir) throws IOException {
    List<String> open = new ArrayList<>();
    Path real = dir.toRealPath();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.startsWith(real)) {
            open.add(target.getFileName().toString());
          }
        } catch (IOException gone) {
          // The descriptor closed while we listed (the listing's own, for one).
        }
      }
    }
    return open;
  }

  /** Four sealed segments and one record in the active one. */
  private static void fourSealedSegments(Wal wal) throws IOException {
    for (int s = 0; s < 4; s++) {
      for (int i = 0; i < 10; i++) {
        wal.append(WalRecord.put(("s" + s + "-" + i).getBytes(StandardCharsets.UTF_8), VALUE));
      }
      wal.rotate();
    }
    wal.append(WalRecord.put("last".getBytes(StandardCharsets.UTF_8), VALUE));
  }

  private void reopensWithOnlyTheLastRecord() throws IOException {
    try (Wal reopened = Wal.open(config().build())) {
      assertEquals(WalState.OPEN, reopened.state());
      try (WalReader r = reopened.readFrom(Position.START)) {
        WalEntry only = r.next();
        assertTrue(
            only != null && "last".equals(new String(only.record().key(), StandardCharsets.UTF_8)),
            "" + only);
        assertEquals(null, r.next());
      }
    }
  }

  @Test
  void closeWaitsForADeletionInProgressAndNothingIsDeletedAfterItReturns() throws Exception {
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    Wal wal = SegmentedWal.open(config().build(), plan.opener());
    fourSealedSegments(wal);
    CountDownLatch firstDeleted = new CountDownLatch(1);
    CompletableFuture<Set<String>> filesWhenCloseReturned = new CompletableFuture<>();
    Thread closer =
        new Thread(
            () -> {
              try {
                firstDeleted.await();
                wal.close();
                filesWhenCloseReturned.complete(segmentFiles(dir));
              } catch (Throwable t) {
                filesWhenCloseReturned.completeExceptionally(t);
              }
            },
            "closer");
    plan.beforeDelete =
        file -> {
          if (file.getFileName().toString().equals("000001.wal")) {
            firstDeleted.countDown();
            try {
              // Give close() every chance to finish while this deletion is half done.
              closer.join(1_000);
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
            }
          }
        };
    closer.start();
    SegmentDeletion d = wal.deleteSegmentsBefore(wal.currentPosition());
    assertEquals(4, d.deleted(), "every sealed segment goes: " + d);
    Set<String> atClose = filesWhenCloseReturned.get(10, TimeUnit.SECONDS);
    assertEquals(segmentFiles(dir), atClose, "no segment vanished after close() returned");
    assertThrows(IllegalStateException.class, () -> wal.deleteSegmentsBefore(Position.START));
    reopensWithOnlyTheLastRecord();
  }

  @Test
  void aDeletionListenerMayCloseTheLog() throws Exception {
    AtomicReference<Wal> log = new AtomicReference<>();
    List<Long> deleted = new ArrayList<>();
    WalListener closeOnFirstDeletion =
        e -> {
          if (e instanceof WalEvent.SegmentDeleted sd) {
            deleted.add(sd.segmentId());
            try {
              log.get().close();
            } catch (IOException io) {
              throw new UncheckedIOException(io);
            }
          }
        };
    Wal wal = Wal.open(config().listener(closeOnFirstDeletion).build());
    log.set(wal);
    fourSealedSegments(wal);
    CompletableFuture<SegmentDeletion> d =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return wal.deleteSegmentsBefore(wal.currentPosition());
              } catch (IOException io) {
                throw new UncheckedIOException(io);
              }
            });
    assertEquals(4, d.get(10, TimeUnit.SECONDS).deleted(), "no deadlock: the deletion finished");
    assertEquals(List.of(0L, 1L, 2L, 3L), deleted, "every deletion was told, in order");
    assertEquals(WalState.CLOSED, wal.state());
    reopensWithOnlyTheLastRecord();
  }

  @Test
  void aFailedPublishWhileRollingLeavesNoFileOfTheLogOpen() throws Exception {
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    Wal wal = SegmentedWal.open(config().build(), plan.opener());
    for (int i = 0; i < 3; i++) {
      wal.append(WalRecord.put(("k" + i).getBytes(StandardCharsets.UTF_8), VALUE));
    }
    plan.failMoves = true;
    assertThrows(LogFailedException.class, wal::rotate);
    wal.close();
    assertEquals(List.of(), openFilesUnder(dir), "descriptors left open after close()");
    try (Wal reopened = Wal.open(config().build())) {
      assertEquals(List.of("000000.wal"), List.copyOf(segmentFiles(dir)));
      assertEquals(3, reopened.recoveryInfo().validRecords(), "the three acknowledged records");
    }
  }
}
