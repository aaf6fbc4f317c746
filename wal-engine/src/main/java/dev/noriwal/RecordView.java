package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A record as it lies in a reader's buffer, handed to a {@link Handler} by {@link
 * WalReader#poll(Handler, int)} without copying key or value. The view and its buffers are valid
 * only until the handler returns; copy what you keep ({@link #toRecord()}).
 */
public interface RecordView {

  /** Receives record views; see {@link RecordView} for how long they are valid. */
  @FunctionalInterface
  interface Handler {
    void onRecord(RecordView record) throws IOException;
  }

  Position position();

  /** The position right after this record. */
  Position next();

  /** The key, read-only, positioned at 0. */
  ByteBuffer key();

  /** The value (decompressed when stored compressed), read-only, positioned at 0. */
  ByteBuffer value() throws IOException;

  boolean isTombstone();

  /** TTL in milliseconds, or -1 when the record has none. */
  long ttlMillis();

  /** How the value was stored. */
  Compression compression();

  /** A copy that outlives the callback. */
  default WalRecord toRecord() throws IOException {
    ByteBuffer k = key();
    ByteBuffer v = value();
    byte[] key = new byte[k.remaining()];
    byte[] value = new byte[v.remaining()];
    k.get(key);
    v.get(value);
    return WalRecord.of(key, value, isTombstone(), ttlMillis(), compression());
  }
}
