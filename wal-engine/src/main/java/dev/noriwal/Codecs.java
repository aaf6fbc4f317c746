package dev.noriwal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Value compression. The LZ4 and Zstd libraries are optional dependencies: their classes are only
 * touched inside the nested holders, so a log that never uses them never loads them.
 *
 * <p>Thread-safe.
 */
final class Codecs {
  /** Largest value we will decompress into; guards against a bogus length or a zip bomb. */
  static final int MAX_VALUE_SIZE = Integer.MAX_VALUE - 64;

  /** Zstd level nori-wal writes. */
  static final int ZSTD_LEVEL = 3;

  private Codecs() {}

  /** A value as it goes to disk (internal: the array is handed straight to the writer). */
  @SuppressWarnings("ArrayRecordComponent")
  record Stored(byte[] bytes, Compression compression) {}

  /**
   * Compresses {@code r}'s value as requested, keeping the raw value (and flags that say none) when
   * compression does not make it smaller.
   *
   * @throws IllegalStateException if the codec's library is not on the class path
   */
  static Stored compress(WalRecord r) {
    byte[] v = r.value();
    byte[] c =
        switch (r.compression()) {
          case NONE -> v;
          case LZ4 -> lz4().compress(v);
          case ZSTD -> zstd().compress(v);
        };
    return c.length < v.length ? new Stored(c, r.compression()) : new Stored(v, Compression.NONE);
  }

  /** Decompresses a stored value; throws IOException describing what is wrong. */
  static byte[] decompress(Compression c, byte[] stored) throws IOException {
    return switch (c) {
      case NONE -> stored;
      case LZ4 -> lz4().decompress(stored);
      case ZSTD -> zstd().decompress(stored);
    };
  }

  private static Lz4 lz4() {
    try {
      return Lz4Holder.INSTANCE;
    } catch (NoClassDefFoundError | ExceptionInInitializerError e) {
      throw new IllegalStateException(
          "LZ4 compression needs at.yawk.lz4:lz4-java on the class path (an optional dependency"
              + " of wal-engine)",
          e);
    }
  }

  private static Zstd zstd() {
    try {
      return ZstdHolder.INSTANCE;
    } catch (NoClassDefFoundError | ExceptionInInitializerError e) {
      throw new IllegalStateException(
          "Zstd compression needs com.github.luben:zstd-jni on the class path (an optional"
              + " dependency of wal-engine)",
          e);
    }
  }

  private static final class Lz4Holder {
    static final Lz4 INSTANCE = new Lz4();
  }

  private static final class ZstdHolder {
    static final Zstd INSTANCE = new Zstd();
  }

  /** varint(original length) + raw LZ4 block. */
  private static final class Lz4 {
    private final net.jpountz.lz4.LZ4Compressor compressor =
        net.jpountz.lz4.LZ4Factory.fastestInstance().fastCompressor();
    private final net.jpountz.lz4.LZ4SafeDecompressor decompressor =
        net.jpountz.lz4.LZ4Factory.fastestInstance().safeDecompressor();

    byte[] compress(byte[] v) {
      int max = compressor.maxCompressedLength(v.length);
      ByteBuffer out = ByteBuffer.allocate(RecordFormat.varintSize(v.length) + max);
      RecordFormat.putVarint(out, v.length);
      int n = compressor.compress(v, 0, v.length, out.array(), out.position(), max);
      byte[] result = new byte[out.position() + n];
      System.arraycopy(out.array(), 0, result, 0, result.length);
      return result;
    }

    byte[] decompress(byte[] stored) throws IOException {
      long[] len = new long[1];
      int n = RecordFormat.readVarint(ByteBuffer.wrap(stored), 0, stored.length, len);
      if (n <= 0) {
        throw new IOException("LZ4 value has no valid original-length prefix");
      }
      if (len[0] > MAX_VALUE_SIZE) {
        throw new IOException("LZ4 value claims an original length of " + len[0] + " bytes");
      }
      byte[] out = new byte[(int) len[0]];
      try {
        int got = decompressor.decompress(stored, n, stored.length - n, out, 0, out.length);
        if (got != out.length) {
          throw new IOException(
              "LZ4 value decompressed to " + got + " bytes, prefix says " + out.length);
        }
      } catch (net.jpountz.lz4.LZ4Exception e) {
        throw new IOException("LZ4 value cannot be decompressed: " + e.getMessage(), e);
      }
      return out;
    }
  }

  /** One Zstd frame at level 3, decoded with a streaming decoder (no content size needed). */
  private static final class Zstd {
    byte[] compress(byte[] v) {
      return com.github.luben.zstd.Zstd.compress(v, ZSTD_LEVEL);
    }

    byte[] decompress(byte[] stored) throws IOException {
      try (InputStream in =
          new com.github.luben.zstd.ZstdInputStream(new ByteArrayInputStream(stored))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, stored.length * 4));
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
          total += n;
          if (total > MAX_VALUE_SIZE) {
            throw new IOException(
                "Zstd value decompresses to more than " + MAX_VALUE_SIZE + " bytes");
          }
          out.write(buf, 0, n);
        }
        return out.toByteArray();
      } catch (IOException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new IOException("Zstd value cannot be decompressed: " + e.getMessage(), e);
      }
    }
  }
}
