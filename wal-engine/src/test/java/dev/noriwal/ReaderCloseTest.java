package dev.noriwal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 8, a suspected issue: a reader closed from another thread while it polls. */
class ReaderCloseTest {
  @TempDir Path dir;

  @Test
  void aReaderClosedDuringPollKeepsItsBufferOutOfThePoolUntilThePollReturns() throws Exception {
    try (Wal wal = Wal.open(WalConfig.builder(dir).maxSegmentSize(1 << 20).build())) {
      wal.append(WalRecord.put(new byte[] {1}, new byte[] {2}));
      wal.sync();
      SegmentReader reader = (SegmentReader) wal.readFrom(Position.START);
      assertNotNull(reader.next());
      ByteBuffer window = reader.windowForTesting();
      assertNotNull(window);
      CompletableFuture<WalEntry> polling =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return reader.poll(Duration.ofSeconds(2));
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      Thread.sleep(100); // the poll is waiting for a record
      reader.close();
      if (!polling.isDone()) {
        // While the poll may still read into it, the pool must not hand the buffer out.
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          taken.add(BufferPool.take(window.capacity()));
        }
        for (ByteBuffer b : taken) {
          assertNotSame(window, b, "the polling reader's buffer was back in the pool");
        }
        taken.forEach(BufferPool::give);
      }
      assertNull(polling.get(10, TimeUnit.SECONDS), "a closed reader's poll ends without a record");
      assertNull(reader.windowForTesting(), "released once the poll returned");
      IllegalStateException e = assertThrows(IllegalStateException.class, reader::next);
      assertEquals("reader is closed", e.getMessage());
    }
  }
}
