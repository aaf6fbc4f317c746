package dev.noriwal;

import java.io.IOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Reads records in log order, across segments, starting at a position given to {@link
 * Wal#readFrom(Position)}. It sees records appended after it was opened, up to the log's durable
 * position (under {@code os()}, up to what has been written to the OS), so it never returns a
 * record that a crash could take back. Records of any size are read.
 *
 * <p>Not thread-safe: one reader per consumer thread. Each reader has its own read-only file
 * channels; readers never block the writer.
 */
public interface WalReader extends AutoCloseable {

  /**
   * The next record, or {@code null} when the reader has caught up with the log.
   *
   * @throws CorruptLogException if the bytes at the reader's position are damaged
   */
  @Nullable WalEntry next() throws IOException;

  /**
   * The next record, waiting up to {@code timeout} for one to be appended; {@code null} if none
   * arrived in time or the log was closed.
   */
  @Nullable WalEntry poll(Duration timeout) throws IOException, InterruptedException;

  /** Hands up to {@code limit} available records to {@code handler}; returns how many. */
  default int poll(RecordHandler handler, int limit) throws IOException {
    int n = 0;
    while (n < limit) {
      WalEntry e = next();
      if (e == null) {
        break;
      }
      handler.onRecord(e.position(), e.record());
      n++;
    }
    return n;
  }

  /**
   * Hands up to {@code limit} available records to {@code handler} as zero-copy views into the
   * reader's buffer (valid only during the call); returns how many. The fastest way to scan.
   */
  int poll(RecordView.Handler handler, int limit) throws IOException;

  /** Where the next record will be read from. */
  Position position();

  @Override
  void close() throws IOException;
}
