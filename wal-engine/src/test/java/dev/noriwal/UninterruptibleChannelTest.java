package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log's channels and the calling thread's interrupt status: an interrupted thread still writes
 * and forces, keeps its interrupt, and leaves the channel open; an interrupt that lands during a
 * segment's plain write loses nothing (the write is done again through the asynchronous channel).
 */
class UninterruptibleChannelTest {
  @TempDir Path dir;

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void assertHolds(Path file, byte[] expected) throws IOException {
    byte[] found = Files.readAllBytes(file);
    assertEquals(expected.length, found.length, "file length");
    assertArrayEquals(expected, found);
  }

  @Test
  void anInterruptedThreadWritesAndForcesAndKeepsItsInterrupt() throws Exception {
    for (boolean segment : new boolean[] {false, true}) {
      Path f = dir.resolve("f" + segment);
      byte[] data = bytes(10_000, 1);
      FileChannel ch =
          segment
              ? UninterruptibleChannel.openSegment(
                  f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
              : UninterruptibleChannel.openFile(
                  f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try (ch) {
        Thread.currentThread().interrupt();
        Fs.writeFully(ch, ByteBuffer.wrap(data), 0);
        ch.force(false);
        assertTrue(Thread.interrupted(), "the interrupt status is kept for the caller");
        assertTrue(ch.isOpen());
        if (segment) {
          assertTrue(
              ((UninterruptibleChannel) ch).writesDirectly(),
              "an interrupt set before the write closed the plain channel");
        }
        ByteBuffer back = ByteBuffer.allocate(data.length);
        Thread.currentThread().interrupt();
        Fs.readFully(ch, back, 0);
        assertTrue(Thread.interrupted());
        assertArrayEquals(data, back.array());
      }
    }
  }

  @Test
  void anInterruptDuringAPlainWriteRewritesItThroughTheAsynchronousChannel() throws Exception {
    Path f = dir.resolve("seg");
    AsynchronousFileChannel async =
        AsynchronousFileChannel.open(
            f,
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
            null);
    FileChannel real = FileChannel.open(f, StandardOpenOption.WRITE);
    AtomicInteger plainWrites = new AtomicInteger();
    // What the JDK's channel does when an interrupt lands mid-write: part of the bytes are in the
    // file, the source has moved past them, the channel is closed, ClosedByInterruptException.
    FileChannel interruptedMidWrite =
        new FaultyChannel(real, new FaultyChannel.Plan(), f) {
          @Override
          public int write(ByteBuffer src, long position) throws IOException {
            plainWrites.incrementAndGet();
            ByteBuffer half = src.duplicate();
            half.limit(src.position() + src.remaining() / 2);
            int n = real.write(half, position);
            src.position(src.position() + n);
            real.close();
            Thread.currentThread().interrupt();
            throw new ClosedByInterruptException();
          }
        };
    byte[] first = bytes(8_192, 2);
    byte[] second = bytes(4_096, 3);
    try (UninterruptibleChannel ch = new UninterruptibleChannel(async, interruptedMidWrite)) {
      ByteBuffer src = ByteBuffer.wrap(first);
      assertEquals(first.length, ch.write(src, 0));
      assertFalse(src.hasRemaining(), "the whole buffer counts as written");
      assertTrue(Thread.interrupted(), "the interrupt that closed the plain channel is kept");
      assertTrue(ch.isOpen());
      assertFalse(ch.writesDirectly(), "later writes go through the asynchronous channel");
      Fs.writeFully(ch, ByteBuffer.wrap(second), first.length);
      ch.force(false);
      assertEquals(1, plainWrites.get(), "the closed plain channel was used again");
    }
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    assertHolds(f, both);
  }

  @Test
  void interruptsLandingWhileASegmentIsWrittenLoseNothing() throws Exception {
    // The real JDK channel, interrupted again and again from another thread while it writes: each
    // write returns normally, the interrupt status is kept, and every byte is where it was written.
    Path f = dir.resolve("race");
    int writes = 3_000;
    int size = 4_096;
    byte[] all = bytes(writes * size, 4);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger keptInterrupts = new AtomicInteger();
    try (FileChannel ch =
        UninterruptibleChannel.openSegment(
            f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < writes; i++) {
                    Fs.writeFully(ch, ByteBuffer.wrap(all, i * size, size), (long) i * size);
                    if (Thread.interrupted()) {
                      keptInterrupts.incrementAndGet();
                    }
                  }
                  ch.force(false);
                } catch (Throwable t) {
                  failed.set(t);
                } finally {
                  done.set(true);
                }
              });
      writer.start();
      while (!done.get()) {
        writer.interrupt();
        Thread.onSpinWait();
      }
      writer.join();
      if (failed.get() != null) {
        throw new AssertionError("a write failed under interrupts", failed.get());
      }
      assertTrue(ch.isOpen());
      assertTrue(keptInterrupts.get() > 0, "no write saw an interrupt");
    }
    assertHolds(f, all);
  }
}
