package dev.noriwal.bench;

import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalStats;
import java.io.IOException;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * An open log for a benchmark: opened per trial in a fresh directory, its fsync statistics printed
 * after every iteration, sealed segments dropped between iterations (so the disk does not fill),
 * closed and deleted at the end. Subclasses are the {@code @State} classes and say how to configure
 * the log.
 */
public abstract class EngineState {
  Path dir;
  Wal wal;
  byte[] key;
  byte[] value;
  WalStats before;

  /** Directory name prefix. */
  abstract String name();

  abstract WalConfig config(Path dir);

  /** Encoded size of each record on disk. */
  abstract int encodedRecordSize();

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = BenchSupport.newDir(name());
    wal = Wal.open(config(dir));
    key = BenchSupport.randomBytes(BenchSupport.KEY_LENGTH, 1);
    value = BenchSupport.randomBytes(BenchSupport.valueLengthFor(encodedRecordSize()), 2);
  }

  @Setup(Level.Iteration)
  public void snapshot() {
    before = wal.stats();
  }

  @TearDown(Level.Iteration)
  public void dropSealed() throws IOException {
    System.out.println(BenchSupport.fsyncLine(before, wal.stats()));
    wal.deleteSegmentsBefore(wal.currentPosition());
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    wal.close();
    BenchSupport.deleteTree(dir);
  }
}
