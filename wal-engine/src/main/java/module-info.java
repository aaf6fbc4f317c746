/**
 * The nori-wal engine. Only {@code dev.noriwal} is exported; everything else in it is
 * package-private. LZ4 and Zstd are optional: they are needed at run time only by logs whose
 * records use them.
 */
module dev.noriwal.engine {
  requires static org.lz4.java;
  requires static com.github.luben.zstd_jni;
  requires static transitive org.jspecify;

  exports dev.noriwal;
}
