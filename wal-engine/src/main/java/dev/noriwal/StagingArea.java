package dev.noriwal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The staged bytes themselves: the 1 MiB chunk being filled, the queue of {@link Staged} items
 * waiting for the writer, and spare chunks. Chunks are direct buffers from the JVM-wide {@link
 * BufferPool}, taken on the first append after an idle spell and given back by {@link
 * #releaseChunks} when the log goes idle, so an idle log holds none. Not thread-safe: {@link
 * Staging} guards it with its lock (appenders put, the writer task drains and recycles under that
 * lock).
 *
 * <p>A round takes what was put since the last round as a slice of the filling chunk, and appenders
 * go on filling the same chunk after it: the writer reads bytes below the slice's end while
 * appenders write above it. So a chunk carries many rounds (at 64 KiB a round, sixteen) rather than
 * one each, and it is reused once the round that holds its last slice is written (rounds are
 * written in order, so its earlier slices are written by then). Spares are kept up to what {@link
 * Staging#MAX_STAGED} lets appenders stage while the writer is busy (a rotation's force, say): a
 * busy log reuses its chunks rather than allocating and zeroing fresh direct memory.
 */
final class StagingArea {
  private static final int SPARE_CHUNKS = (int) (Staging.MAX_STAGED / Staging.CHUNK);

  /** After this long without work the chunks go back to the pool. */
  static final long IDLE_RELEASE_NANOS = 1_000_000_000L;

  private static final ByteBuffer NONE = ByteBuffer.allocate(0);

  /** The chunk being filled; {@link #NONE} while the log holds no chunk. */
  private ByteBuffer active = NONE;

  /** The writer's view of {@link #active}, which the slices of its rounds carry. */
  private ByteBuffer activeView = NONE;

  /** Where the bytes of {@link #active} not yet taken by a round begin. */
  private int sliceStart;

  /**
   * A round drained by {@link #drainTo} is being written and not yet {@link #recycle}d: its slices
   * may be of the filling chunk, which must then stay this log's (a slow force can outlast the idle
   * release, and an always() appender commits while the writer task looks idle).
   */
  private boolean roundOut;

  /**
   * The slice {@link #drainTo} hands out for the filling chunk, reused round after round: a round
   * is drained only once the one before was written and recycled, so no round holds it then.
   */
  private final Staged.Bytes fillingSlice = new Staged.Bytes(NONE, 0, 0, null);

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
    return bytes > 0;
  }

  boolean isEmpty() {
    return staged.isEmpty() && bytes == 0;
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
      staged.add(new Staged.Bytes(big, 0, big.limit(), null));
    } else {
      if (active.remaining() < size) {
        seal();
        active = chunk();
        activeView = active.duplicate();
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

  /**
   * Moves everything staged, in order, to {@code out} (the writer's round): what the filling chunk
   * holds goes as a slice of it, and the chunk stays the one appenders fill.
   */
  void drainTo(List<Staged> out) {
    idleSinceNanos = 0;
    boolean reusable = !roundOut; // else an earlier round, not yet written, may hold fillingSlice
    roundOut = true;
    int end = active.position();
    if (end > sliceStart) {
      staged.add(
          reusable
              ? fillingSlice.reset(activeView, sliceStart, end)
              : new Staged.Bytes(activeView, sliceStart, end, null));
      sliceStart = end;
    }
    for (Staged s; (s = staged.poll()) != null; ) {
      out.add(s); // not addAll: it copies the queue into a new array every round
    }
    bytes = 0;
  }

  /** Takes back the chunks whose last slice a written round held. */
  void recycle(List<Staged> written) {
    roundOut = false;
    for (int i = 0; i < written.size(); i++) { // no iterator per round
      if (written.get(i) instanceof Staged.Bytes b && b.chunk() != null) {
        ByteBuffer c = b.chunk();
        if (spare.size() < SPARE_CHUNKS) {
          spare.add(c.clear());
        } else {
          BufferPool.give(c);
        }
      }
    }
  }

  /**
   * Drops everything staged (the log failed). Chunks still queued are left to the garbage
   * collector: a round that failed may still be reading them.
   */
  void drop() {
    staged.clear();
    active.clear();
    sliceStart = 0;
    bytes = 0;
  }

  /** Drops everything and hands the chunks back to the JVM-wide pool (the log stopped). */
  void release() {
    roundOut = false; // the writer task has ended: no round is being written any more
    staged.clear();
    active.clear();
    sliceStart = 0;
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
    if (roundOut || active.position() > sliceStart || !staged.isEmpty()) {
      return;
    }
    if (active != NONE) {
      // Its slices are all written: the writer releases only between rounds.
      BufferPool.give(active);
      active = NONE;
      activeView = NONE;
      sliceStart = 0;
    }
    for (ByteBuffer b; (b = spare.poll()) != null; ) {
      BufferPool.give(b);
    }
  }

  private ByteBuffer chunk() {
    ByteBuffer next = spare.poll();
    return next != null ? next.clear() : BufferPool.take(Staging.CHUNK);
  }

  /**
   * Queues the rest of the filling chunk as its last slice (empty if a round took everything in it:
   * the chunk is still reused only once that round is written); the next put takes a fresh chunk.
   */
  @SuppressWarnings("ReferenceEquality") // which buffer, not what it holds
  private void seal() {
    if (active != NONE) {
      staged.add(new Staged.Bytes(activeView, sliceStart, active.position(), active));
      active = NONE;
      activeView = NONE;
      sliceStart = 0;
    }
  }
}
