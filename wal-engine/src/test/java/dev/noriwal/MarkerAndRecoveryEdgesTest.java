package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 8, scenarios 5, 7, 9 and 10: marker trust, sealed-segment damage, staged rotations. */
class MarkerAndRecoveryEdgesTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  WalConfig config(RecoveryMode mode) {
    return WalConfig.builder(dir)
        .maxSegmentSize(1 << 20)
        .fsyncPolicy(FsyncPolicy.always())
        .recoveryMode(mode)
        .build();
  }

  /** A cleanly closed log of three segments. */
  void cleanLogOfThreeSegments() throws Exception {
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      for (int i = 0; i < 300; i++) {
        wal.append(WalRecord.put(b("k" + i), new byte[8000]));
      }
      assertTrue(wal.segments().size() >= 3, "segments: " + wal.segments());
    }
    assertTrue(Files.exists(dir.resolve(CleanMarker.FILE)));
  }

  @Test
  void aSealedSegmentCutAfterACleanCloseIsNotTrustedAndTheDefaultOpenRefusesIt() throws Exception {
    // Issue 8 scenario 5: three bytes cut off 000000.wal after a clean close.
    cleanLogOfThreeSegments();
    Path first = dir.resolve("000000.wal");
    byte[] all = Files.readAllBytes(first);
    Files.write(first, Arrays.copyOf(all, all.length - 3));
    CorruptLogException e =
        assertThrows(
            CorruptLogException.class, () -> Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL)));
    assertEquals("000000.wal", e.segment());
  }

  @Test
  void aSegmentRestoredFromABackupWithTheSameSizeAndTimeIsNotTrusted() throws Exception {
    // Issue 8 scenario 5: one segment replaced by a copy that differs inside (a bit flip).
    cleanLogOfThreeSegments();
    Path first = dir.resolve("000000.wal");
    FileTime mtime = Files.getLastModifiedTime(first);
    byte[] all = Files.readAllBytes(first);
    all[100] ^= 0x10;
    Path restored = dir.resolve("restored.tmp");
    Files.write(restored, all);
    Files.setLastModifiedTime(restored, mtime);
    Files.move(
        restored, first, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    assertThrows(
        CorruptLogException.class, () -> Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL)));
  }

  @Test
  void aConfiguredModeOtherThanTheDefaultAlwaysScansEvenAfterACleanClose() throws Exception {
    // Issue 8 scenario 5: SALVAGE configured for a deployment must run, marker or not.
    cleanLogOfThreeSegments();
    try (Wal wal = Wal.open(config(RecoveryMode.SALVAGE))) {
      assertFalse(wal.recoveryInfo().scanSkipped());
      assertEquals(RecoveryMode.SALVAGE, wal.recoveryInfo().mode());
      assertEquals(300, wal.recoveryInfo().validRecords());
    }
    try (Wal wal = Wal.open(config(RecoveryMode.POINT_IN_TIME))) {
      assertFalse(wal.recoveryInfo().scanSkipped());
    }
  }

  @Test
  void aMatchingMarkerStillSkipsTheScanUnderTheDefaultMode() throws Exception {
    cleanLogOfThreeSegments();
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      assertTrue(wal.recoveryInfo().scanSkipped());
      assertEquals(300, wal.recoveryInfo().validRecords());
      assertEquals(300, WalTest.readAll(wal).size());
    }
  }

  @Test
  void aFailedStrictOpenWithACleanMarkerPresentLeavesTemporaryFilesAlone() throws Exception {
    // Issue 8 scenario 10.
    try (Wal wal = Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL))) {
      for (int i = 0; i < 10; i++) {
        wal.append(WalRecord.put(b("k" + i), new byte[100]));
      }
    }
    Path seg = dir.resolve("000000.wal");
    byte[] all = Files.readAllBytes(seg);
    all[150] ^= 0x10; // inside the second record
    Files.write(seg, Arrays.copyOf(all, all.length + 1)); // one more (zero) byte: size differs
    Files.write(dir.resolve("000001.wal.tmp"), new byte[10]);
    assertTrue(Files.exists(dir.resolve(CleanMarker.FILE)));
    assertThrows(
        CorruptLogException.class, () -> Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL)));
    assertTrue(Files.exists(dir.resolve("000001.wal.tmp")), "a refused open changes nothing");
  }

  @Test
  void aChecksumFailureInTheLastRecordOfASealedSegmentIsCorruptionEvenBeforeAnEmptySuccessor()
      throws Exception {
    // Issue 8 scenario 7: 000000.wal was forced whole before 000001.wal existed.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long last = 0;
    for (int i = 0; i < 5; i++) {
      last = out.size();
      out.write(RecordFormat.encode(WalRecord.put(b("key-" + i), b("value-" + i))));
    }
    byte[] seg = out.toByteArray();
    seg[(int) last + 8] ^= 0x10;
    Files.write(dir.resolve("000000.wal"), seg);
    Files.write(dir.resolve("000001.wal"), new byte[0]);
    CorruptLogException e =
        assertThrows(
            CorruptLogException.class, () -> Wal.open(config(RecoveryMode.TOLERATE_TORN_TAIL)));
    assertEquals("000000.wal", e.segment());
    assertEquals(last, e.offset());
    try (Wal wal = Wal.open(config(RecoveryMode.POINT_IN_TIME))) {
      assertEquals(4, wal.recoveryInfo().validRecords());
      try (var quarantined = Files.list(dir.resolve(Recovery.QUARANTINE))) {
        assertTrue(quarantined.findAny().isPresent(), "kept, not deleted");
      }
    }
  }

  @Test
  void aReaderMayStartAtTheCurrentPositionWhileARotationIsStaged() throws Exception {
    // Issue 8 scenario 9: under os() the writer is slow, so the rotation stays staged a while.
    FaultyChannel.Plan plan = new FaultyChannel.Plan();
    try (Wal wal =
        SegmentedWal.open(
            WalConfig.builder(dir).maxSegmentSize(1 << 20).fsyncPolicy(FsyncPolicy.os()).build(),
            plan.opener())) {
      int staged = 0;
      for (int i = 0; i < 400; i++) {
        Position before = wal.currentPosition();
        if (i > 100) {
          plan.writeDelayMillis = 50;
        }
        wal.append(WalRecord.put(b("k" + i), new byte[8000]));
        Position now = wal.currentPosition();
        if (now.segmentId() != before.segmentId()) {
          staged++;
          try (WalReader r = wal.readFrom(now)) {
            wal.append(WalRecord.put(b("after " + i), b("v")));
            wal.flush();
            WalEntry e = r.poll(Duration.ofSeconds(10));
            assertNotNull(e);
            assertEquals("after " + i, new String(e.record().key(), StandardCharsets.UTF_8));
          }
          plan.writeDelayMillis = 0;
          break;
        }
      }
      assertEquals(1, staged);
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.EnumSource(RecoveryMode.class)
  void aTornLastRecordCarryingEncodedRecordsIsATornTailAndNothingEmbeddedComesBack(
      RecoveryMode mode) throws Exception {
    // Issue 8 scenario 6: a log that carries logs; the crash cut its last record after the
    // embedded records, and the rest of the preallocated segment is zeros.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      out.write(RecordFormat.encode(WalRecord.put(b("key-" + i), b("value-" + i))));
    }
    ByteArrayOutputStream nested = new ByteArrayOutputStream();
    for (int i = 0; i < 20; i++) {
      nested.write(RecordFormat.encode(WalRecord.put(b("embedded-" + i), b("inner value " + i))));
    }
    byte[] carrier = RecordFormat.encode(WalRecord.put(b("carrier"), nested.toByteArray()));
    long tornAt = out.size();
    out.write(carrier, 0, carrier.length - 40); // the write stopped before the carrier's end
    byte[] seg = Arrays.copyOf(out.toByteArray(), 1 << 20);
    Files.write(dir.resolve("000000.wal"), seg);
    try (Wal wal = Wal.open(config(mode))) {
      assertEquals(3, wal.recoveryInfo().validRecords(), wal.recoveryInfo().report());
      assertEquals(
          java.util.List.of("key-0", "key-1", "key-2"),
          WalTest.readAll(wal).stream()
              .map(e -> new String(e.record().key(), StandardCharsets.UTF_8))
              .toList());
      assertEquals(new Position(0, tornAt), wal.currentPosition());
      Damage d = wal.recoveryInfo().damage().get(0);
      assertEquals(Damage.Kind.TORN_TAIL, d.kind());
      assertTrue(d.detail().contains("quarantine"), d.detail());
    }
    try (java.util.stream.Stream<Path> q = Files.list(dir.resolve(Recovery.QUARANTINE))) {
      assertEquals(1, q.count(), "the torn tail with its checksum-valid bytes is kept");
    }
  }
}
