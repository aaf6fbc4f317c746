package dev.noriwal;

/**
 * How a record's value is stored. The codes are nori-wal's flag bits 2–3.
 *
 * <p>LZ4 needs {@code at.yawk.lz4:lz4-java} and Zstd needs {@code com.github.luben:zstd-jni} on the
 * class path; both are optional dependencies of wal-engine. A value that does not shrink is stored
 * uncompressed, with flags that say so.
 */
public enum Compression {
  NONE(0),
  LZ4(1),
  ZSTD(2);

  private final int code;

  Compression(int code) {
    this.code = code;
  }

  /** The two-bit code stored in flag bits 2–3. */
  public int code() {
    return code;
  }
}
