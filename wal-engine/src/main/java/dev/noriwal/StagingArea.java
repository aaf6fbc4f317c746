package dev.noriwal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The staged bytes themselves: the 1 MiB chunk being filled, the queue of {@link Staged} items
 * waiting for the writer, and up to four spare chunks. Chunks are direct buffers from the JVM-wide
 * {@link BufferPool}, taken on the first append after an idle spell and given back by {@link
 * #releaseChunks} when the log goes idle, so an idle log holds none. Not thread-safe: {@link
 * Staging} guards it with its lock (appenders put, the writer task drains and recycles under that
 * lock).
 */
final class StagingArea {
  private static final int SPARE_CHUNKS = 4;

  /** After this long without work the chunks go back to the pool. */
  static final long IDLE_RELEASE_NANOS = 1_000_000_000L;

  private static final ByteBuffer NONE = ByteBuffer.allocate(0);

  /** The chunk being filled; {@link #NONE} while the log holds no chunk. */
  private ByteBuffer active = NONE;

  private final ArrayDeque<Staged> staged = new ArrayDeque<>();
  private final ArrayDeque<ByteBuffer> spare = new ArrayDeque<>();
  private final CRC32C crc = new CRC32C();

  /** Bytes staged and not yet drained (including the filling chunk). */
  private long bytes;

  /** When the oldest staged byte not yet drained was staged (valid while bytes > 0). */
  private long sinceNanos;

  /** When the writer found nothing to do (0 while it has work). */
  private long idleSinceNanos;

  long bytes() {
    return bytes;
  }

  long sinceNanos() {
    return sinceNanos;
  }

  boolean hasData() {
    return bytes > 0 || active.position() > 0;
  }

  boolean isEmpty() {
    return staged.isEmpty() && active.position() == 0;
  }

  /** Bytes held here, for stats. */
  long queued() {
    return bytes + active.position();
  }

  /**
   * Copies one record of {@code size} encoded bytes in: {@code encoded} if the appender encoded it
   * already, else encoded here. A record larger than a chunk travels in a buffer of its own.
   */
  void put(WalRecord r, byte[] value, Compression as, @Nullable ByteBuffer encoded, long size) {
    if (size > Staging.CHUNK) {
      seal();
      ByteBuffer big = ByteBuffer.allocate((int) size);
      RecordFormat.write(big, r, value, as, crc);
      big.flip();
      staged.add(new Staged.Bytes(big));
    } else {
      if (active.remaining() < size) {
        seal();
        active = chunk();
      }
      if (encoded != null) {
        active.put(encoded);
      } else {
        RecordFormat.write(active, r, value, as, crc);
      }
    }
    if (bytes == 0) {
      sinceNanos = System.nanoTime();
    }
    bytes += size;
  }

  /** Everything staged so far goes to the current segment, what follows to {@code newId}. */
  void rotation(long newId) {
    seal();
    staged.add(new Staged.Rotation(newId));
  }

  /** Moves everything staged, in order, to {@code out} (the writer's round). */
  void drainTo(List<Staged> out) {
    idleSinceNanos = 0;
    seal();
    for (Staged s; (s = staged.poll()) != null; ) {
      out.add(s); // not addAll: it copies the queue into a new array every round
    }
    bytes = 0;
  }

  /** Takes back the chunks of a written round. */
  void recycle(List<Staged> written) {
    for (int i = 0; i < written.size(); i++) { // no iterator per round
      Staged item = written.get(i);
      if (item instanceof Staged.Bytes b) {
        ByteBuffer buf = b.buffer();
        if (buf.isDirect() && buf.capacity() == Staging.CHUNK && spare.size() < SPARE_CHUNKS) {
          buf.clear();
          spare.add(buf);
        }
      }
    }
  }

  /** Drops everything staged (the log failed). */
  void drop() {
    staged.clear();
    active.clear();
    bytes = 0;
  }

  /** Drops everything and hands the chunks back to the JVM-wide pool (the log stopped). */
  void release() {
    staged.clear();
    active.clear();
    bytes = 0;
    releaseChunks();
  }

  /**
   * The writer is idle at {@code now}: keeps the chunks for a moment (the next append is likely
   * near), then gives them back. Returns how long the writer may sleep before that is due ({@code
   * Long.MAX_VALUE} once nothing is held).
   */
  long idle(long now) {
    if (!holdsChunks()) {
      return Long.MAX_VALUE;
    }
    if (idleSinceNanos == 0) {
      idleSinceNanos = now;
    }
    long left = idleSinceNanos + IDLE_RELEASE_NANOS - now;
    if (left > 0) {
      return left;
    }
    releaseChunks();
    idleSinceNanos = 0;
    return Long.MAX_VALUE;
  }

  /** Whether this log holds staging chunks (a filling one, or spares). */
  @SuppressWarnings("ReferenceEquality") // which buffer, not what it holds
  boolean holdsChunks() {
    return active != NONE || !spare.isEmpty();
  }

  /** Gives the chunks back to the JVM-wide pool; only while nothing is staged. */
  @SuppressWarnings("ReferenceEquality") // which buffer, not what it holds
  void releaseChunks() {
    if (active.position() > 0 || !staged.isEmpty()) {
      return;
    }
    if (active != NONE) {
      BufferPool.give(active);
      active = NONE;
    }
    for (ByteBuffer b; (b = spare.poll()) != null; ) {
      BufferPool.give(b);
    }
  }

  private ByteBuffer chunk() {
    ByteBuffer next = spare.poll();
    return next != null ? next.clear() : BufferPool.take(Staging.CHUNK);
  }

  /** Queues the filling chunk, if it holds anything; the next put takes a fresh one. */
  private void seal() {
    if (active.position() > 0) {
      active.flip();
      staged.add(new Staged.Bytes(active));
      active = NONE;
    }
  }
}
