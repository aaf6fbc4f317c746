package dev.noriwal;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small JVM-wide pool of direct buffers (1 MiB reader and scanner windows, staging chunks).
 * Direct memory is only freed when the garbage collector finds the buffer, so a program that opens
 * many short-lived readers or scans would otherwise grow direct memory to its limit and then stall
 * in {@code System.gc()}. Buffers must be given back exactly once, and only when no longer used.
 *
 * <p>Thread-safe.
 */
final class BufferPool {
  private static final int MAX_POOLED_PER_SIZE = 16;

  /** A direct buffer of zeros, never written: duplicate it to write zeros. */
  static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

  private record Shelf(ConcurrentLinkedQueue<ByteBuffer> buffers, AtomicInteger count) {}

  private static final ConcurrentHashMap<Integer, Shelf> SHELVES = new ConcurrentHashMap<>();

  private BufferPool() {}

  private static Shelf shelf(int capacity) {
    return SHELVES.computeIfAbsent(
        capacity, c -> new Shelf(new ConcurrentLinkedQueue<>(), new AtomicInteger()));
  }

  /** A cleared direct buffer of exactly {@code capacity} bytes; its content is undefined. */
  static ByteBuffer take(int capacity) {
    Shelf s = shelf(capacity);
    ByteBuffer b = s.buffers().poll();
    if (b == null) {
      return ByteBuffer.allocateDirect(capacity);
    }
    s.count().decrementAndGet();
    return b.clear();
  }

  /** Gives a buffer from {@link #take} back; heap buffers are ignored. */
  static void give(ByteBuffer b) {
    if (b == null || !b.isDirect() || b.isReadOnly()) {
      return;
    }
    Shelf s = shelf(b.capacity());
    if (s.count().incrementAndGet() <= MAX_POOLED_PER_SIZE) {
      s.buffers().offer(b);
    } else {
      s.count().decrementAndGet();
    }
  }
}
