package dev.noriwal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Chronicle Queue, the peer issue 9 measures the engine against, used through its public API as a
 * user would: a single queue in its default roll cycle, one appender, tailers from the start.
 *
 * <p>Same bytes per record as the engine: an excerpt is Chronicle's 4-byte header and a payload, so
 * a record the engine stores in {@code n} bytes is a payload of {@code n - 4} bytes here.
 *
 * <p>On Java 17 Chronicle needs JDK packages opened to it: the options in {@code
 * wal-benchmarks/chronicle.jvmargs} (its own list for Java 17), which the {@code @Fork} of every
 * benchmark class using it repeats, {@code benchmarks.jar}'s manifest grants when it is run with
 * {@code java -jar}, and {@code java @wal-benchmarks/chronicle.jvmargs -cp ...} passes to a main
 * class such as {@link ReplayPairs}.
 */
final class ChronicleSupport {
  static {
    // Chronicle reports usage over the network unless told not to; a benchmark must not.
    if (System.getProperty("chronicle.analytics.disable") == null) {
      System.setProperty("chronicle.analytics.disable", "true");
    }
  }

  /** Chronicle's header in front of each excerpt's payload. */
  static final int HEADER = 4;

  private ChronicleSupport() {}

  static ChronicleQueue open(Path dir) {
    return ChronicleQueue.singleBuilder(dir).build();
  }

  /** The payload of a record stored in {@code recordSize} bytes. */
  static BytesStore<?, ?> payload(int recordSize, long seed) {
    return BytesStore.wrap(BenchSupport.randomBytes(recordSize - HEADER, seed));
  }

  /** Writes {@code records} excerpts of {@code recordSize} bytes each into a new queue in dir. */
  static void build(Path dir, long records, int recordSize) throws IOException {
    BytesStore<?, ?> payload = payload(recordSize, 42);
    try (ChronicleQueue q = open(dir);
        ExcerptAppender a = q.createAppender()) {
      for (long i = 0; i < records; i++) {
        a.writeBytes(payload);
      }
    }
  }

  /** The queue's files: its cycle files and its metadata. */
  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
  }

  /**
   * One pass from the start, each payload copied into a new array as {@code WalReader.next()} hands
   * out its values. Returns records ^ bytes.
   */
  static long replay(ChronicleQueue q) {
    long records = 0;
    long bytes = 0;
    try (ExcerptTailer t = q.createTailer()) {
      while (true) {
        try (DocumentContext dc = t.readingDocument()) {
          if (!dc.isPresent()) {
            break;
          }
          Bytes<?> b = dc.wire().bytes();
          byte[] v = new byte[(int) b.readRemaining()];
          b.read(v);
          records++;
          bytes += v.length;
        }
      }
    }
    return records ^ bytes;
  }
}
