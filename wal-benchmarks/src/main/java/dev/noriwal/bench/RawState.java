package dev.noriwal.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The raw baseline of the {@code always()} benchmarks: a file of real zero blocks made before
 * timing, written with {@code FileChannel.write(buf, pos)} and {@code force(false)} per record
 * (overwriting allocated blocks, so fdatasync commits no metadata; the engine's segments are
 * prepared the same way). Subclasses are the {@code @State} classes and say how large and named.
 */
public abstract class RawState {
  Path dir;
  FileChannel ch;
  ByteBuffer buf;
  long pos;

  /** Directory name prefix. */
  abstract String name();

  abstract long fileSize();

  /** Bytes written per record. */
  abstract int recordSize();

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = BenchSupport.newDir(name());
    ch = BenchSupport.zeroFilled(dir.resolve("raw.dat"), fileSize());
    buf = BenchSupport.randomDirect(recordSize(), 3);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    ch.close();
    BenchSupport.deleteTree(dir);
  }

  /**
   * Writes one record's bytes at the next position (from the start again at the end) and forces.
   */
  long writeAndForce() throws IOException {
    ByteBuffer b = buf;
    b.clear();
    if (pos + b.remaining() > fileSize()) {
      pos = 0;
    }
    long p = pos;
    pos += BenchSupport.writeFully(ch, b, p);
    ch.force(false);
    return p;
  }
}
