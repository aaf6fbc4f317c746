package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Crash, torn-tail and corruption scenarios (wal-anchors.md 8–19), on hand-made segment files. */
class RecoveryTest {
  @TempDir Path dir;

  static byte[] rec(int i) {
    return RecordFormat.encode(
        WalRecord.put(
            ("key-" + i).getBytes(StandardCharsets.UTF_8),
            ("value-" + i + "-".repeat(40)).getBytes(StandardCharsets.UTF_8)));
  }

  /** Writes n records into a segment; returns the start offsets (plus the end at index n). */
  long[] writeSegment(String name, int from, int n) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] offsets = new long[n + 1];
    for (int i = 0; i < n; i++) {
      offsets[i] = out.size();
      out.write(rec(from + i));
    }
    offsets[n] = out.size();
    Files.write(dir.resolve(name), out.toByteArray());
    return offsets;
  }

  WalConfig config(RecoveryMode mode) {
    return WalConfig.builder(dir).maxSegmentSize(1 << 20).recoveryMode(mode).build();
  }

  List<String> keys(Wal wal) throws Exception {
    List<String> out = new ArrayList<>();
    try (WalReader r = wal.readFrom(Position.START)) {
      for (WalEntry e; (e = r.next()) != null; ) {
        out.add(new String(e.record().key(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  static List<String> keyRange(int from, int to) {
    List<String> k = new ArrayList<>();
    for (int i = from; i < to; i++) {
      k.add("key-" + i);
    }
    return k;
  }

  void flip(String name, long offset) throws Exception {
    byte[] b = Files.readAllBytes(dir.resolve(name));
    b[(int) offset] ^= 0x10;
    Files.write(dir.resolve(name), b);
  }

  @ParameterizedTest(name = "cut {0} bytes into the last record")
  @ValueSource(ints = {0, 1, 2, 10, 30, 55})
  void reopenAfterTornTailTruncatesToLastValidRecord(int into) throws Exception {
    long[] off = writeSegment("000000.wal", 0, 10);
    long cut = off[9] + into;
    byte[] b = Files.readAllBytes(dir.resolve("000000.wal"));
    Files.write(dir.resolve("000000.wal"), Arrays.copyOf(b, (int) cut));
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      RecoveryInfo info = wal.recoveryInfo();
      assertEquals(9, info.validRecords());
      assertEquals(into, info.bytesTruncated());
      assertTrue(info.isClean(), info.report());
      assertEquals(
          into == 0 ? RecoveryInfo.Action.NONE : RecoveryInfo.Action.TRUNCATED_TORN_TAIL,
          info.action());
      assertEquals(keyRange(0, 9), keys(wal));
      assertEquals(new Position(0, off[9]), wal.currentPosition());
    }
    assertEquals(off[9], Files.size(dir.resolve("000000.wal")));
  }

  @Test
  void garbageAndZerosAfterTheLastRecordAreATornTail() throws Exception {
    long[] off = writeSegment("000000.wal", 0, 5);
    byte[] b = Files.readAllBytes(dir.resolve("000000.wal"));
    byte[] withTail = Arrays.copyOf(b, b.length + 4096);
    for (int i = 0; i < 300; i++) {
      withTail[b.length + i] = (byte) (i * 7 + 3);
    }
    Files.write(dir.resolve("000000.wal"), withTail);
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      assertEquals(300, wal.recoveryInfo().bytesTruncated());
      assertEquals(keyRange(0, 5), keys(wal));
      assertEquals(Damage.Kind.TORN_TAIL, wal.recoveryInfo().damage().get(0).kind());
      assertEquals(off[5], wal.recoveryInfo().damage().get(0).offset());
    }
  }

  @Test
  void tailIsSanitisedSoRepeatedCrashesNeverMeetLeftoverBytes() throws Exception {
    // append, crash mid-record, recover, append more, crash again, recover.
    long[] off = writeSegment("000000.wal", 0, 6);
    byte[] b = Files.readAllBytes(dir.resolve("000000.wal"));
    Files.write(dir.resolve("000000.wal"), Arrays.copyOf(b, (int) off[5] + 20));
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      wal.append(WalRecord.put("key-100".getBytes(StandardCharsets.UTF_8), new byte[3]));
      wal.sync();
    }
    Files.delete(dir.resolve(CleanMarker.FILE)); // as if it crashed instead of closing
    byte[] c = Files.readAllBytes(dir.resolve("000000.wal"));
    Files.write(dir.resolve("000000.wal"), Arrays.copyOf(c, c.length - 2));
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      assertTrue(wal.recoveryInfo().isClean(), wal.recoveryInfo().report());
      assertEquals(keyRange(0, 5), keys(wal));
      wal.append(WalRecord.put("key-200".getBytes(StandardCharsets.UTF_8), new byte[3]));
    }
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      List<String> k = keys(wal);
      assertEquals("key-200", k.get(k.size() - 1));
      assertEquals(6, k.size());
    }
  }

  @Test
  void bitFlipInAMiddleRecordFailsTheOpenNamingFileAndOffsetAndChangesNothing() throws Exception {
    long[] off = writeSegment("000000.wal", 0, 10);
    flip("000000.wal", off[4] + 12);
    byte[] before = Files.readAllBytes(dir.resolve("000000.wal"));
    CorruptLogException e =
        assertThrows(
            CorruptLogException.class, () -> Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL)));
    assertEquals("000000.wal", e.segment());
    assertEquals(off[4], e.offset());
    assertEquals(CorruptLogException.Reason.CHECKSUM_MISMATCH, e.reason());
    assertTrue(e.expectedCrc() >= 0 && e.actualCrc() >= 0 && e.expectedCrc() != e.actualCrc());
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("000000.wal")));
    assertFalse(Files.exists(dir.resolve(Recovery.QUARANTINE)));
    // The lock was released: a repairing open works right away.
    try (Wal wal = Wal.open(config(RecoveryMode.POINT_IN_TIME))) {
      assertEquals(keyRange(0, 4), keys(wal));
      assertEquals(RecoveryInfo.Action.CUT_AND_QUARANTINED, wal.recoveryInfo().action());
      assertEquals(off[10] - off[4], wal.recoveryInfo().bytesQuarantined());
    }
    try (Stream<Path> q = Files.list(dir.resolve(Recovery.QUARANTINE))) {
      Path moved = q.findFirst().orElseThrow();
      byte[] tail = Files.readAllBytes(moved);
      assertArrayEquals(
          Arrays.copyOfRange(before, (int) off[4], before.length), tail, "nothing is deleted");
    }
  }

  @Test
  void salvageKeepsEveryValidRecordAroundADamagedOne() throws Exception {
    long[] off = writeSegment("000000.wal", 0, 10);
    flip("000000.wal", off[4] + 12);
    try (Wal wal = Wal.open(config(RecoveryMode.SALVAGE))) {
      List<String> expected = keyRange(0, 4);
      expected.addAll(keyRange(5, 10));
      assertEquals(expected, keys(wal));
      assertEquals(RecoveryInfo.Action.SALVAGED, wal.recoveryInfo().action());
      assertEquals(off[5] - off[4], wal.recoveryInfo().bytesQuarantined());
    }
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      assertEquals(9, keys(wal).size(), "a salvaged log opens cleanly afterwards");
    }
  }

  @Test
  void zeroedSectorInTheMiddleIsCorruptionNotATornTail() throws Exception {
    writeSegment("000000.wal", 0, 60);
    byte[] b = Files.readAllBytes(dir.resolve("000000.wal"));
    Arrays.fill(b, 1024, 1536, (byte) 0);
    Files.write(dir.resolve("000000.wal"), b);
    CorruptLogException e =
        assertThrows(
            CorruptLogException.class, () -> Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL)));
    assertTrue(e.offset() <= 1024, "damage starts at or before the zeroed sector: " + e.offset());
    RecoveryInfo v = Wal.verify(dir);
    assertFalse(v.isClean());
  }

  @Test
  void lengthClaimingMoreThanTheFileHoldsIsABoundedError() throws Exception {
    long[] off = writeSegment("000000.wal", 0, 10);
    byte[] b = Files.readAllBytes(dir.resolve("000000.wal"));
    // klen varint of record 3 claims ~2^62 bytes.
    byte[] bad = new byte[b.length + 8];
    System.arraycopy(b, 0, bad, 0, (int) off[3]);
    byte[] huge = {
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      0x3f
    };
    System.arraycopy(huge, 0, bad, (int) off[3], huge.length);
    System.arraycopy(
        b, (int) off[3] + 1, bad, (int) off[3] + huge.length, b.length - (int) off[3] - 1);
    Files.write(dir.resolve("000000.wal"), Arrays.copyOf(bad, b.length + 8));
    CorruptLogException e =
        assertThrows(
            CorruptLogException.class, () -> Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL)));
    assertEquals(off[3], e.offset());
    assertEquals(CorruptLogException.Reason.MALFORMED_RECORD, e.reason());
    // Overlong varint at the tail is a torn tail.
    Files.write(dir.resolve("000000.wal"), Arrays.copyOf(b, (int) off[3]));
    Files.write(
        dir.resolve("000000.wal"),
        new byte[] {
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          1
        },
        java.nio.file.StandardOpenOption.APPEND);
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      assertEquals(keyRange(0, 3), keys(wal));
      assertEquals(12, wal.recoveryInfo().bytesTruncated());
    }
  }

  @Test
  void missingSegmentIsAHoleEachModeHandlesItsWay() throws Exception {
    writeSegment("000000.wal", 0, 3);
    writeSegment("000002.wal", 3, 3);
    CorruptLogException e =
        assertThrows(
            CorruptLogException.class, () -> Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL)));
    assertEquals(CorruptLogException.Reason.MISSING_SEGMENT, e.reason());
    assertEquals("000001.wal", e.segment());
    try (Wal wal = Wal.open(config(RecoveryMode.SALVAGE))) {
      assertEquals(keyRange(0, 6), keys(wal));
      assertEquals(List.of(0L, 1L), wal.segments().stream().map(SegmentInfo::id).toList());
    }
  }

  @Test
  void pointInTimeQuarantinesEverySegmentAfterAHole() throws Exception {
    writeSegment("000000.wal", 0, 3);
    writeSegment("000002.wal", 3, 3);
    writeSegment("000003.wal", 6, 3);
    try (Wal wal = Wal.open(config(RecoveryMode.POINT_IN_TIME))) {
      assertEquals(keyRange(0, 3), keys(wal));
    }
    try (Stream<Path> q = Files.list(dir.resolve(Recovery.QUARANTINE))) {
      assertEquals(2, q.count());
    }
  }

  @Test
  void damagedTailOfAnEarlierSegmentFollowedByAValidSegmentIsCorruption() throws Exception {
    long[] off = writeSegment("000000.wal", 0, 5);
    byte[] b = Files.readAllBytes(dir.resolve("000000.wal"));
    Files.write(dir.resolve("000000.wal"), Arrays.copyOf(b, (int) off[4] + 10));
    writeSegment("000001.wal", 5, 5);
    CorruptLogException e =
        assertThrows(
            CorruptLogException.class, () -> Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL)));
    assertEquals("000000.wal", e.segment());
    assertEquals(off[4], e.offset());
    try (Wal wal = Wal.open(config(RecoveryMode.SALVAGE))) {
      List<String> expected = keyRange(0, 4);
      expected.addAll(keyRange(5, 10));
      assertEquals(expected, keys(wal));
    }
  }

  @Test
  void checksumValidRecordWithReservedFlagBitsIsUnsupportedNeverATornTail() throws Exception {
    writeSegment("000000.wal", 0, 3);
    // Record with flag bit 4 set ([N]'s version stamp) and a correct CRC, as the last record.
    byte[] v = {0x01, 0x01, 0x10, 0x01, 0x02, 0x6b, 0x76, 0x18, 0x49, 0x53, 0x5f};
    CRC32C crc = new CRC32C();
    crc.update(v, 0, 7);
    assertEquals(0x5f534918L, crc.getValue(), "the spec's [N] vector is checksum-valid");
    Files.write(dir.resolve("000000.wal"), v, java.nio.file.StandardOpenOption.APPEND);
    CorruptLogException e =
        assertThrows(
            CorruptLogException.class, () -> Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL)));
    assertEquals(CorruptLogException.Reason.UNSUPPORTED_FORMAT, e.reason());
    assertEquals(3L * rec(0).length, e.offset());
  }

  @Test
  void emptySegmentFilesAreHandledDeterministically() throws Exception {
    writeSegment("000000.wal", 0, 3);
    Files.write(dir.resolve("000001.wal"), new byte[0]);
    Files.write(dir.resolve("000002.wal"), new byte[0]);
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      assertEquals(keyRange(0, 3), keys(wal));
      assertEquals(new Position(2, 0), wal.currentPosition());
    }
  }

  @Test
  void verifyIsReadOnlyAndReportsDamage() throws Exception {
    long[] off = writeSegment("000000.wal", 0, 10);
    flip("000000.wal", off[7] + 3);
    byte[] before = Files.readAllBytes(dir.resolve("000000.wal"));
    RecoveryInfo info = Wal.verify(dir);
    assertEquals(9, info.validRecords());
    assertEquals(off[7], info.firstCorruption().orElseThrow().offset());
    assertEquals(RecoveryInfo.Action.REPORTED_ONLY, info.action());
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("000000.wal")));
  }

  @Test
  void corruptCleanShutdownMarkerFallsBackToTheScan() throws Exception {
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      wal.append(WalRecord.put("a".getBytes(StandardCharsets.UTF_8), new byte[10]));
    }
    String marker = Files.readString(dir.resolve(CleanMarker.FILE));
    Files.writeString(dir.resolve(CleanMarker.FILE), marker.replace("records=1", "records=7"));
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      assertFalse(wal.recoveryInfo().scanSkipped());
      assertEquals(1, wal.recoveryInfo().validRecords());
      assertFalse(Files.exists(dir.resolve(CleanMarker.FILE)), "invalidated before new appends");
    }
    Files.writeString(dir.resolve(CleanMarker.FILE), "");
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      assertFalse(
          wal.recoveryInfo().scanSkipped(), "an empty marker (crash while writing it) means scan");
    }
  }

  @Test
  void aCrashInTheMiddleOfAPointInTimeRepairIsFinishedByTheNextRecovery() throws Exception {
    long[] off = writeSegment("000000.wal", 0, 5);
    writeSegment("000001.wal", 5, 5);
    writeSegment("000002.wal", 10, 5);
    flip("000000.wal", off[2] + 5);
    // The first repair moved the newest later segment to quarantine, then the process died.
    Files.createDirectories(dir.resolve(Recovery.QUARANTINE));
    Files.move(dir.resolve("000002.wal"), dir.resolve(Recovery.QUARANTINE).resolve("000002.wal.1"));
    try (Wal wal = Wal.open(config(RecoveryMode.POINT_IN_TIME))) {
      assertEquals(keyRange(0, 2), keys(wal));
      assertEquals(List.of(0L), wal.segments().stream().map(SegmentInfo::id).toList());
    }
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      assertEquals(keyRange(0, 2), keys(wal), "the repaired log is consistent and opens strictly");
    }
    try (Stream<Path> q = Files.list(dir.resolve(Recovery.QUARANTINE))) {
      assertEquals(3, q.count(), "both later segments and the cut tail are kept in quarantine");
    }
  }

  @Test
  void aFailedStrictOpenLeavesEvenTemporaryFilesAlone() throws Exception {
    long[] off = writeSegment("000000.wal", 0, 5);
    flip("000000.wal", off[1] + 5);
    Files.write(dir.resolve("000001.wal.tmp"), new byte[10]);
    assertThrows(
        CorruptLogException.class, () -> Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL)));
    assertTrue(Files.exists(dir.resolve("000001.wal.tmp")));
  }

  @Test
  void aLogWhoseOldestSegmentsWereDeletedOpensWithoutAHoleError() throws Exception {
    // Retention deletes oldest first, so a crash mid-way leaves a log that starts later.
    writeSegment("000003.wal", 0, 3);
    writeSegment("000004.wal", 3, 3);
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      assertEquals(keyRange(0, 6), keys(wal));
      assertEquals(new Position(4, Files.size(dir.resolve("000004.wal"))), wal.currentPosition());
    }
  }

  @Test
  void crashAtEachStepOfASegmentRollLeavesAConsistentLog() throws Exception {
    // 1. The next segment was being prepared: a zero-filled temporary beside the sealed one.
    long[] off = writeSegment("000000.wal", 0, 4);
    Files.write(dir.resolve("000001.wal.tmp"), new byte[1 << 20]);
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      assertEquals(keyRange(0, 4), keys(wal));
      assertTrue(wal.recoveryInfo().damage().isEmpty(), wal.recoveryInfo().report());
    }
    assertFalse(Files.exists(dir.resolve("000001.wal.tmp")));
    Files.delete(dir.resolve(CleanMarker.FILE));

    // 2. Renamed into place but nothing written yet: an all-zero last segment.
    Files.write(dir.resolve("000001.wal"), new byte[1 << 20]);
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      assertEquals(keyRange(0, 4), keys(wal));
      assertEquals(new Position(1, 0), wal.currentPosition());
      assertTrue(wal.recoveryInfo().isClean(), wal.recoveryInfo().report());
    }
    Files.delete(dir.resolve(CleanMarker.FILE));
    Files.delete(dir.resolve("000001.wal"));

    // 3. The old segment's trim never reached the disk: its zero tail sits before a new segment
    // that already holds records. Zeros are free space, not damage; the tail is trimmed.
    byte[] sealed = Files.readAllBytes(dir.resolve("000000.wal"));
    Files.write(dir.resolve("000000.wal"), java.util.Arrays.copyOf(sealed, sealed.length + 4096));
    writeSegment("000001.wal", 4, 2);
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      assertEquals(keyRange(0, 6), keys(wal));
      assertTrue(wal.recoveryInfo().damage().isEmpty(), wal.recoveryInfo().report());
    }
    assertEquals(off[4], Files.size(dir.resolve("000000.wal")));
  }
}
