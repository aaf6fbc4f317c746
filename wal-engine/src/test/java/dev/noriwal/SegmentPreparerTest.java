package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-fill ahead of the writer. An appender's fdatasync of the active segment writes every
 * dirty page of that file, the preparer's zeros included, so under a rule that forces prepared
 * segments the zeros must never pile up unforced beyond one small piece.
 */
class SegmentPreparerTest {
  /** What the README promises an appender's force carries of the zero-fill, at most. */
  static final long MOST_UNFORCED_ZEROS = 1L << 20;

  @TempDir Path dir;

  private final FaultyChannel.Plan plan = new FaultyChannel.Plan();
  private SegmentPreparer preparer;

  private SegmentPreparer preparer(FsyncPolicy policy) {
    return preparer(policy, WalConfig.DEFAULT_MAX_SEGMENT_SIZE);
  }

  private SegmentPreparer preparer(FsyncPolicy policy, long maxSegmentSize) {
    WalConfig config =
        WalConfig.builder(dir).fsyncPolicy(policy).maxSegmentSize(maxSegmentSize).build();
    preparer = new SegmentPreparer(config, plan.opener(), CommitRule.of(policy));
    return preparer;
  }

  @AfterEach
  void stop() {
    if (preparer != null) {
      preparer.shutDown(false);
    }
  }

  /** A segment file whose first {@code n} bytes are records (0x55), to be grown from there. */
  private Path segmentWithRecords(int n) throws Exception {
    Path file = dir.resolve("000000.wal");
    byte[] records = new byte[n];
    Arrays.fill(records, (byte) 0x55);
    Files.write(file, records);
    return file;
  }

  @Test
  void growUnderAlwaysForcesItsZerosEveryPieceAndLeavesTheRecordsBeforeItAlone() throws Exception {
    int records = 1000; // an unaligned start, as when the writer outran the zero-fill
    long to = (5L << 20) + 77;
    Path file = segmentWithRecords(records);

    long grown =
        preparer(FsyncPolicy.always()).grow(file, records, to).done().get(30, TimeUnit.SECONDS);

    assertEquals(to, grown);
    assertEquals(to, Files.size(file));
    assertTrue(
        plan.mostUnforcedBytes.get() <= MOST_UNFORCED_ZEROS,
        "zeros written and not forced reached "
            + plan.mostUnforcedBytes.get()
            + " bytes; an appender's force would carry them all");
    assertTrue(
        plan.forces.get() >= (to - records) / MOST_UNFORCED_ZEROS,
        "forced " + plan.forces.get() + " times for " + (to - records) + " bytes of zeros");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer all = ByteBuffer.allocate((int) to);
      while (all.hasRemaining() && ch.read(all) >= 0) {
        // read it all
      }
      for (int i = 0; i < to; i++) {
        byte want = i < records ? (byte) 0x55 : 0;
        if (all.get(i) != want) {
          throw new AssertionError("byte " + i + " of " + file + " is " + all.get(i));
        }
      }
    }
  }

  @Test
  void underOsNothingIsZeroFilledWhateverPreallocateSays() throws Exception {
    SegmentPreparer os = preparer(FsyncPolicy.os());
    assertFalse(os.zeroFills());
    SegmentPreparer.Prepared p = os.prepare(1, 8L << 20);
    try {
      assertEquals(0, p.zeroed());
      assertEquals(0, Files.size(p.tmp()));
      assertEquals(0, plan.forces.get(), "os() promises nothing before a sync: no forces");
    } finally {
      p.channel().close();
    }
    assertTrue(preparer(FsyncPolicy.batch(Duration.ofMillis(5))).zeroFills());
    assertTrue(preparer(FsyncPolicy.always()).zeroFills());
  }

  @Test
  void aPreparedSegmentStartsWithOneForcedFirstStep() throws Exception {
    SegmentPreparer.Prepared p = preparer(FsyncPolicy.always()).prepare(1);
    try {
      assertEquals(SegmentPreparer.FIRST_STEP, p.zeroed());
      assertEquals(SegmentPreparer.FIRST_STEP, Files.size(p.tmp()));
      assertTrue(plan.mostUnforcedBytes.get() <= MOST_UNFORCED_ZEROS);
      assertTrue(plan.forces.get() >= 1, "the new file is forced before it is renamed into place");
    } finally {
      p.channel().close();
    }
  }

  @Test
  void aStoppedStepEndsAfterThePieceInFlightAndSaysWhereTheZerosEnd() throws Exception {
    plan.zeroWriteDelayMillis = 100; // 8 pieces: most of a second for the whole step
    long to = 8L << 20;
    Path file = segmentWithRecords(0);
    SegmentPreparer.Growth g = preparer(FsyncPolicy.always()).grow(file, 0, to);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (g.filledTo() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(g.filledTo() > 0, "the first piece was zero-filled");

    g.stop();
    long end = g.done().get(30, TimeUnit.SECONDS);

    assertTrue(end < to, "the step went on to " + end + " after it was stopped");
    assertEquals(g.filledTo(), end);
    assertEquals(0, end % SegmentPreparer.PREPARE_FORCE_BYTES, "it ends on a piece's end");
    assertEquals(end, Files.size(file), "nothing was written past where it says it ended");
  }

  @Test
  void aSegmentPreparedAheadHasTheZerosTheWriterAskedForWithinItsBounds() throws Exception {
    SegmentPreparer small = preparer(FsyncPolicy.always(), 2L << 20);
    SegmentPreparer.Prepared asked = small.prepare(1, 1536L << 10);
    SegmentPreparer.Prepared tooFew = small.prepare(2, 0);
    SegmentPreparer.Prepared tooMany = small.prepare(3, 16L << 20);
    try {
      assertEquals(1536L << 10, asked.zeroed());
      assertEquals(1536L << 10, Files.size(asked.tmp()));
      assertEquals(SegmentPreparer.FIRST_STEP, tooFew.zeroed(), "never less than a first step");
      assertEquals(2L << 20, tooMany.zeroed(), "never more than the segment");
      assertEquals(2L << 20, Files.size(tooMany.tmp()));
      assertTrue(plan.mostUnforcedBytes.get() <= MOST_UNFORCED_ZEROS);
    } finally {
      asked.channel().close();
      tooFew.channel().close();
      tooMany.channel().close();
    }
  }

  @Test
  void aStepStoppedBeforeItStartedIsDroppedAndNoLongerTracked() throws Exception {
    plan.zeroWriteDelayMillis = 1000; // two one-piece steps hold the pool's two threads a second
    SegmentPreparer p = preparer(FsyncPolicy.always());
    SegmentPreparer.Growth busy1 = p.grow(segmentWithRecords(0), 0, 1L << 20);
    Path other = dir.resolve("000001.wal");
    Files.write(other, new byte[0]);
    SegmentPreparer.Growth busy2 = p.grow(other, 0, 1L << 20);
    Path third = dir.resolve("000002.wal");
    Files.write(third, new byte[0]);
    SegmentPreparer.Growth queued = p.grow(third, 0, 1L << 20);

    queued.stop();

    assertThrows(
        CancellationException.class,
        () -> queued.done().get(30, TimeUnit.SECONDS),
        "a step stopped before it started is dropped, not run");
    assertEquals(0, queued.filledTo(), "a dropped step zero-filled nothing");
    assertEquals(0, Files.size(third));
    assertEquals(1L << 20, busy1.done().get(30, TimeUnit.SECONDS));
    assertEquals(1L << 20, busy2.done().get(30, TimeUnit.SECONDS));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (p.tasksTracked() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5); // a finished task forgets itself just after its result completes
    }
    assertEquals(0, p.tasksTracked(), "no task is tracked once none is queued or running");
  }

  @Test
  void shutDownStopsARunningStepAfterItsPieceRatherThanFinishingIt() throws Exception {
    plan.zeroWriteDelayMillis = 200; // 8 pieces: well over a second for the whole step
    long to = 8L << 20;
    Path file = segmentWithRecords(0);
    SegmentPreparer p = preparer(FsyncPolicy.always());
    SegmentPreparer.Growth g = p.grow(file, 0, to);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (g.filledTo() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }

    p.shutDown(false);

    assertTrue(g.done().isDone(), "shutDown returns once the step has ended");
    long end = g.done().get();
    assertTrue(end < to, "the step ran on to " + end + " of " + to);
    assertEquals(end, Files.size(file));
  }

  @Test
  void aRotationTakesTheSegmentPreparedAheadWithTheZerosItHasRatherThanWaitingForTheRest()
      throws Exception {
    plan.zeroWriteDelayMillis = 200; // 8 pieces: well over a second for all of them
    SegmentPreparer p = preparer(FsyncPolicy.always());
    p.prepareAhead(1, 8L << 20);

    SegmentPreparer.Prepared taken = p.take(1);

    try {
      assertEquals(1, taken.id());
      assertTrue(taken.zeroed() < (8L << 20), "the rotation waited for all " + taken.zeroed());
      assertEquals(0, taken.zeroed() % SegmentPreparer.PREPARE_FORCE_BYTES);
      assertEquals(taken.zeroed(), Files.size(taken.tmp()), "its zeros end where it says");
    } finally {
      taken.channel().close();
    }
  }
}
