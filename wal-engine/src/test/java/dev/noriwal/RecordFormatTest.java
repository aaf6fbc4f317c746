package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nori-wal's test vectors (spec §2.7) and the compression rules. */
class RecordFormatTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h.replace(" ", ""));
  }

  @SuppressWarnings("CanonicalDuration") // TTLs in milliseconds, as the spec's vectors give them
  static final Object[][] VECTORS = {
    {WalRecord.put(b(""), b("")), "00 00 00 7a a3 64 60"},
    {
      WalRecord.put(b("user:1"), b("alice")),
      "06 05 00 75 73 65 72 3a 31 61 6c 69 63 65 25 16 ed e1"
    },
    {WalRecord.delete(b("user:1")), "06 00 01 75 73 65 72 3a 31 db dc f6 e6"},
    {
      WalRecord.putWithTtl(b("key"), b("value"), Duration.ofMillis(5000)),
      "03 05 02 88 27 6b 65 79 76 61 6c 75 65 88 a2 0e 47"
    },
    {
      WalRecord.putWithTtl(b("session:abc"), b("data"), Duration.ofMillis(3_600_000)),
      "0b 04 02 80 dd db 01 73 65 73 73 69 6f 6e 3a 61 62 63 64 61 74 61 ec 92 95 2e"
    },
  };

  @Test
  void encodesTheSpecVectorsByteForByte() {
    for (Object[] v : VECTORS) {
      assertArrayEquals(hex((String) v[1]), RecordFormat.encode((WalRecord) v[0]), v[0].toString());
    }
  }

  @Test
  void crc32cMatchesTheKnownCheckValues() {
    CRC32C c = new CRC32C();
    c.update(b("123456789"));
    assertEquals(0xE3069283L, c.getValue());
    c.reset();
    c.update(new byte[3]);
    assertEquals(0x6064A37AL, c.getValue());
  }

  @Test
  void readsASegmentMadeOfTheSpecVectorsFollowedByAZeroFilledTail() throws Exception {
    // What nori-wal leaves after a crash with preallocation: records, then zeros to 1 MiB.
    byte[] seg = new byte[1 << 20];
    int p = 0;
    List<WalRecord> expected = new ArrayList<>();
    for (Object[] v : VECTORS) {
      byte[] e = hex((String) v[1]);
      System.arraycopy(e, 0, seg, p, e.length);
      p += e.length;
      expected.add((WalRecord) v[0]);
    }
    Files.write(dir.resolve("000000.wal"), seg);
    try (Wal wal = Wal.open(WalConfig.builder(dir).build())) {
      RecoveryInfo info = wal.recoveryInfo();
      assertEquals(expected.size(), info.validRecords());
      assertEquals(0, info.bytesTruncated(), "a zero-filled tail is free space, not damage");
      assertTrue(info.damage().isEmpty(), info.report());
      assertEquals(new Position(0, p), wal.currentPosition());
      List<WalRecord> got = new ArrayList<>();
      try (WalReader r = wal.readFrom(Position.START)) {
        for (WalEntry e; (e = r.next()) != null; ) {
          got.add(e.record());
        }
      }
      assertEquals(expected, got);
    }
  }

  @Test
  void lz4AndZstdValuesRoundTripAndUseTheirFlagCodes() throws Exception {
    byte[] text = b("the quick brown fox jumps over the lazy dog ".repeat(200));
    try (Wal wal = Wal.open(WalConfig.builder(dir).build())) {
      Position a = wal.append(WalRecord.put(b("a"), text).withCompression(Compression.LZ4));
      Position z = wal.append(WalRecord.put(b("z"), text).withCompression(Compression.ZSTD));
      wal.sync();
      try (WalReader r = wal.readFrom(Position.START)) {
        WalEntry ea = r.next();
        WalEntry ez = r.next();
        assertEquals(a, ea.position());
        assertEquals(z, ez.position());
        assertArrayEquals(text, ea.record().value());
        assertArrayEquals(text, ez.record().value());
        assertEquals(Compression.LZ4, ea.record().compression());
        assertEquals(Compression.ZSTD, ez.record().compression());
        assertTrue(ea.next().offset() - ea.position().offset() < text.length / 4, "LZ4 shrank it");
      }
    }
  }

  @Test
  void incompressibleValueIsStoredRawWithFlagsSayingNone() {
    byte[] random = new byte[4096];
    new Random(7).nextBytes(random);
    for (Compression c : new Compression[] {Compression.LZ4, Compression.ZSTD}) {
      byte[] enc = RecordFormat.encode(WalRecord.put(b("k"), random).withCompression(c));
      byte[] plain = RecordFormat.encode(WalRecord.put(b("k"), random));
      assertArrayEquals(plain, enc, c + " must fall back to an uncompressed record");
    }
  }
}
