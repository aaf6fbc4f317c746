package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/** decode(encode(r)) == r for arbitrary records; every single flipped bit is detected. */
class RecordFormatProperties {
  private Path dir;

  @BeforeTry
  void makeDir() throws Exception {
    dir = Files.createTempDirectory("nori-wal-props");
  }

  @AfterTry
  void removeDir() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<WalRecord> records() {
    Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    Arbitrary<byte[]> values =
        Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
            Arbitraries.strings().withChars("abc ").ofMaxLength(2000).map(String::getBytes));
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, 2);
    Arbitrary<Long> ttl = Arbitraries.longs().between(0, Long.MAX_VALUE / 2);
    Arbitrary<Compression> comp = Arbitraries.of(Compression.class);
    return Combinators.combine(keys, values, kind, ttl, comp)
        .as(
            (k, v, kd, t, c) ->
                switch (kd) {
                  case 0 -> WalRecord.put(k, v).withCompression(c);
                  case 1 -> WalRecord.putWithTtl(k, v, Duration.ofMillis(t)).withCompression(c);
                  default -> WalRecord.delete(k);
                });
  }

  /** The record as it reads back: compression is what was stored, which may be NONE. */
  private static WalRecord readBack(byte[] encoded) throws Exception {
    Path d = Files.createTempDirectory("nori-wal-one");
    try {
      Files.write(d.resolve("000000.wal"), encoded);
      RecoveryInfo info = Wal.verify(d);
      assertEquals(1, info.validRecords(), info.report());
      LogView view = new FixedView(d, encoded.length);
      try (SegmentReader r = new SegmentReader(view, Position.START)) {
        return r.next().record();
      }
    } finally {
      Files.deleteIfExists(d.resolve("000000.wal"));
      Files.deleteIfExists(d);
    }
  }

  @Property(tries = 300)
  void decodeOfEncodeIsIdentity(@ForAll("records") WalRecord r) throws Exception {
    byte[] enc = RecordFormat.encode(r);
    WalRecord back = readBack(enc);
    assertEquals(r.isTombstone(), back.isTombstone());
    assertEquals(r.ttlMillis(), back.ttlMillis());
    assertEquals(ByteBuffer.wrap(r.key()), ByteBuffer.wrap(back.key()));
    assertEquals(ByteBuffer.wrap(r.value()), ByteBuffer.wrap(back.value()));
    Codecs.Stored s = Codecs.compress(r);
    assertEquals(s.compression(), back.compression());
  }

  @Property(tries = 300)
  void anySingleFlippedBitIsDetected(
      @ForAll("records") WalRecord r, @ForAll @IntRange(min = 0, max = 1 << 20) int where)
      throws Exception {
    byte[] enc = RecordFormat.encode(r);
    int bit = where % (enc.length * 8);
    enc[bit / 8] ^= (byte) (1 << (bit % 8));
    Files.write(dir.resolve("000000.wal"), enc);
    RecoveryInfo info = Wal.verify(dir);
    assertEquals(0, info.validRecords(), "a flipped bit must never yield a valid record");
    assertNotEquals(0, info.damage().size());
  }

  /** A log view over one complete segment file, for reading without opening a log. */
  record FixedView(Path directory, long size) implements LogView {
    @Override
    public Position visibleEnd() {
      return new Position(0, size);
    }

    @Override
    public Position currentPosition() {
      return visibleEnd();
    }

    @Override
    public SegmentInfo segment(long id) {
      return id == 0 ? new SegmentInfo(0, "000000.wal", size, false) : null;
    }

    @Override
    public Long firstSegmentId() {
      return 0L;
    }

    @Override
    public boolean isClosed() {
      return true;
    }

    @Override
    public void awaitBeyond(Position seen, long nanos) {}
  }
}
