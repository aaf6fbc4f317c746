package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Rounds take slices of the filling chunk while appenders go on filling it: what a round holds must
 * not change while later records are staged, and a chunk is reused only after the round holding its
 * last slice was written.
 */
class StagingAreaTest {
  private static final byte[] VALUE = new byte[1000];

  private static WalRecord record(int i) {
    return WalRecord.put(String.format("key-%06d", i).getBytes(StandardCharsets.UTF_8), VALUE);
  }

  private static byte[] encoded(int i) {
    WalRecord r = record(i);
    ByteBuffer b = ByteBuffer.allocate((int) RecordFormat.encodedSize(r, VALUE.length));
    RecordFormat.write(b, r, VALUE, Compression.NONE, new CRC32C());
    return b.array();
  }

  private static void put(StagingArea area, int i) {
    WalRecord r = record(i);
    area.put(r, VALUE, Compression.NONE, null, RecordFormat.encodedSize(r, VALUE.length));
  }

  /** The bytes a round would write, without consuming its buffers. */
  private static byte[] bytesOf(List<Staged> round) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Staged s : round) {
      if (s instanceof Staged.Bytes b) {
        ByteBuffer d = b.bytes().duplicate();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        out.writeBytes(a);
      }
    }
    return out.toByteArray();
  }

  private static byte[] expected(int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = from; i < to; i++) {
      out.writeBytes(encoded(i));
    }
    return out.toByteArray();
  }

  @Test
  void roundsTakeSlicesAndLaterPutsLeaveThemIntact() {
    StagingArea area = new StagingArea();
    for (int i = 0; i < 10; i++) {
      put(area, i);
    }
    List<Staged> first = new ArrayList<>();
    area.drainTo(first);
    assertEquals(0, area.bytes());
    assertFalse(area.hasData());
    assertTrue(area.isEmpty());
    for (int i = 10; i < 20; i++) {
      put(area, i);
    }
    assertEquals(10L * encoded(10).length, area.bytes());
    List<Staged> second = new ArrayList<>();
    area.drainTo(second);

    assertArrayEquals(expected(0, 10), bytesOf(first), "first round changed by later puts");
    assertArrayEquals(expected(10, 20), bytesOf(second));
    // Both are slices of one chunk that is still being filled: neither hands it back.
    Staged.Bytes a = (Staged.Bytes) first.get(0);
    Staged.Bytes b = (Staged.Bytes) second.get(0);
    assertEquals(null, a.chunk());
    assertEquals(null, b.chunk());
  }

  @Test
  void aChunkIsReusedOnlyAfterTheRoundHoldingItsLastSlice() {
    StagingArea area = new StagingArea();
    int perChunk = Staging.CHUNK / encoded(0).length;
    List<List<Staged>> rounds = new ArrayList<>();
    // Three chunks' worth of records in rounds of 100, none written (recycled) yet.
    int n = 3 * perChunk;
    for (int i = 0; i < n; i++) {
      put(area, i);
      if (i % 100 == 99) {
        List<Staged> r = new ArrayList<>();
        area.drainTo(r);
        rounds.add(r);
      }
    }
    List<Staged> rest = new ArrayList<>();
    area.drainTo(rest);
    rounds.add(rest);

    // Nothing was reused while unwritten: every round still holds exactly its records.
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    List<ByteBuffer> ended = new ArrayList<>();
    for (List<Staged> r : rounds) {
      all.writeBytes(bytesOf(r));
      for (Staged s : r) {
        if (s instanceof Staged.Bytes b && b.chunk() != null) {
          ended.add(b.chunk());
        }
      }
    }
    assertArrayEquals(expected(0, n), all.toByteArray());
    assertEquals(2, ended.size(), "two chunks filled and sealed, the third still filling");
    assertNotSame(ended.get(0), ended.get(1));

    // Written in order and recycled: the next chunk taken is one of the sealed ones.
    for (List<Staged> r : rounds) {
      area.recycle(r);
    }
    for (int i = n; i < n + perChunk + 1; i++) {
      put(area, i);
    }
    List<Staged> next = new ArrayList<>();
    area.drainTo(next);
    Staged.Bytes sealedThird = (Staged.Bytes) next.get(0);
    assertNotNull(sealedThird.chunk(), "the third chunk filled up and was sealed");
    Staged.Bytes fresh = (Staged.Bytes) next.get(1);
    ByteBuffer reused = fresh.view();
    assertTrue(
        ended.stream().anyMatch(c -> sameMemory(c, reused)),
        "the chunk after the third is a recycled one");
    assertArrayEquals(expected(n, n + perChunk + 1), bytesOf(next));
  }

  @Test
  void chunksGoBackOnlyWhenEverythingIsWritten() {
    StagingArea area = new StagingArea();
    put(area, 0);
    assertTrue(area.holdsChunks());
    List<Staged> r = new ArrayList<>();
    area.drainTo(r);
    byte[] written = bytesOf(r);
    area.recycle(r); // written
    put(area, 1); // staged, not drained: the chunk stays
    area.releaseChunks();
    assertTrue(area.holdsChunks());
    List<Staged> r2 = new ArrayList<>();
    area.drainTo(r2);
    // r2 is being written (a slow force, say): its slice is of the chunk still being filled.
    area.releaseChunks();
    assertTrue(area.holdsChunks(), "released a chunk a round in flight still reads");
    long t0 = 1_000_000_000L;
    area.idle(t0);
    area.idle(t0 + StagingArea.IDLE_RELEASE_NANOS + 1); // the force took longer than the release
    assertTrue(area.holdsChunks(), "the idle release took a chunk a round in flight still reads");
    area.recycle(r2);
    area.releaseChunks();
    assertFalse(area.holdsChunks());
    assertArrayEquals(expected(0, 2), concat(written, bytesOf(r2)));
  }

  @Test
  void theFillingChunksSliceIsReusedOnlyOnceItsRoundIsWritten() {
    StagingArea area = new StagingArea();
    put(area, 0);
    List<Staged> r1 = new ArrayList<>();
    area.drainTo(r1);
    Staged first = r1.get(0);
    assertArrayEquals(expected(0, 1), bytesOf(r1));
    area.recycle(r1);
    r1.clear(); // what finishRound does

    put(area, 1);
    List<Staged> r2 = new ArrayList<>();
    area.drainTo(r2);
    assertSame(first, r2.get(0), "a written round's slice object is taken again: no allocation");
    assertArrayEquals(expected(1, 2), bytesOf(r2));

    // r2 is not written yet: the next round must not touch the object r2 holds.
    put(area, 2);
    List<Staged> r3 = new ArrayList<>();
    area.drainTo(r3);
    assertNotSame(first, r3.get(0));
    assertArrayEquals(expected(1, 2), bytesOf(r2), "a round in flight changed under its writer");
    assertArrayEquals(expected(2, 3), bytesOf(r3));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Whether a slice is a view of {@code chunk}'s memory (direct buffers: same address). */
  private static boolean sameMemory(ByteBuffer chunk, ByteBuffer slice) {
    ByteBuffer probe = slice.duplicate().position(0).limit(1);
    byte old = chunk.get(0);
    try {
      chunk.put(0, (byte) (old + 1));
      return probe.get(0) == (byte) (old + 1);
    } finally {
      chunk.put(0, old);
    }
  }

  @Test
  void aRoundWithNothingNewStillEndsItsChunk() {
    StagingArea area = new StagingArea();
    int perChunk = Staging.CHUNK / encoded(0).length;
    for (int i = 0; i < perChunk; i++) {
      put(area, i);
    }
    List<Staged> r = new ArrayList<>();
    area.drainTo(r); // takes everything in the chunk; the chunk stays the filling one
    put(area, perChunk); // does not fit: the chunk is sealed with an empty last slice
    List<Staged> r2 = new ArrayList<>();
    area.drainTo(r2);
    Staged.Bytes last = (Staged.Bytes) r2.get(0);
    assertEquals(0, last.length());
    assertNotNull(last.chunk());
    assertArrayEquals(expected(0, perChunk + 1), concat(bytesOf(r), bytesOf(r2)));
  }
}
