package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer thread's interrupt and its reader: reading never closes the reader's files, so an
 * interrupted consumer reads on (and keeps its interrupt status), and a poll that waits for records
 * still ends with {@link InterruptedException}.
 */
class ReaderInterruptTest {
  @TempDir Path dir;

  private static final int RECORDS = 600;

  private static byte[] key(int i) {
    return new byte[] {(byte) (i >>> 8), (byte) i};
  }

  /** A log of {@link #RECORDS} 4 KiB records over several 1 MiB segments, synced. */
  private Wal filled() throws Exception {
    Wal wal = Wal.open(WalConfig.builder(dir).maxSegmentSize(1 << 20).build());
    for (int i = 0; i < RECORDS; i++) {
      wal.append(WalRecord.put(key(i), new byte[4096]));
    }
    wal.sync();
    return wal;
  }

  @Test
  void anInterruptedConsumerReadsOnAndKeepsItsInterrupt() throws Exception {
    try (Wal wal = filled();
        WalReader r = wal.readFrom(Position.START)) {
      assertTrue(wal.stats().rotations() > 0, "the records span several segments");
      for (int i = 0; i < RECORDS; i++) {
        Thread.currentThread().interrupt();
        WalEntry e = r.next(); // opens the next segment's file now and then
        assertTrue(Thread.interrupted(), "the interrupt status is kept for the caller");
        assertNotNull(e, "record " + i);
        assertArrayEquals(key(i), e.record().key());
      }
      Thread.currentThread().interrupt();
      assertNull(r.next(), "caught up");
      assertThrows(InterruptedException.class, () -> r.poll(Duration.ofSeconds(5)));
      assertTrue(!Thread.currentThread().isInterrupted(), "the poll's exception took the status");
    }
  }

  @Test
  void interruptsLandingWhileAReaderScansLoseNoRecordAndBreakNothing() throws Exception {
    try (Wal wal = filled()) {
      AtomicReference<Throwable> failed = new AtomicReference<>();
      AtomicBoolean done = new AtomicBoolean();
      AtomicInteger passes = new AtomicInteger();
      Thread consumer =
          new Thread(
              () -> {
                try {
                  for (int pass = 0; pass < 20; pass++) {
                    int n = 0;
                    try (WalReader r = wal.readFrom(Position.START)) {
                      // Views and copies in turn: both read through the reader's files.
                      for (int got; (got = r.poll(v -> {}, 50)) > 0; ) {
                        n += got + (r.next() != null ? 1 : 0);
                      }
                    }
                    assertEquals(RECORDS, n, "pass " + pass + " stopped early");
                    passes.incrementAndGet();
                  }
                } catch (Throwable t) {
                  failed.set(t);
                } finally {
                  done.set(true);
                }
              });
      consumer.start();
      while (!done.get()) {
        consumer.interrupt();
        Thread.onSpinWait();
      }
      consumer.join();
      if (failed.get() != null) {
        throw new AssertionError("the reader failed under interrupts", failed.get());
      }
      assertEquals(20, passes.get());
    }
  }
}
