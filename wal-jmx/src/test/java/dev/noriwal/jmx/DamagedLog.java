package dev.noriwal.jmx;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.Position;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Test fixture: logs with three records and a flipped byte in the middle one. */
final class DamagedLog {
  private DamagedLog() {}

  static WalConfig config(Path dir) {
    return WalConfig.builder(dir).fsyncPolicy(FsyncPolicy.always()).preallocate(false).build();
  }

  /** Appends three records to {@code wal}; returns their positions. */
  static List<Position> appendThree(Wal wal) throws IOException {
    List<Position> p = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      p.add(
          wal.append(
              WalRecord.put(
                  ("k" + i).getBytes(StandardCharsets.UTF_8),
                  ("value number " + i + " with some bytes").getBytes(StandardCharsets.UTF_8))));
    }
    return p;
  }

  /** Creates a log in {@code dir} whose middle record is damaged; returns its position. */
  static Position create(Path dir) throws IOException {
    List<Position> p;
    String file;
    try (Wal wal = Wal.open(config(dir))) {
      p = appendThree(wal);
      file = wal.segments().get(wal.segments().size() - 1).fileName();
    }
    damage(dir, file, p.get(1), p.get(2));
    return p.get(1);
  }

  /**
   * Flips the last byte of the record at {@code record} (which ends where {@code next} starts) and
   * removes the clean-shutdown marker, as a crash would, so the next open scans the log.
   */
  static void damage(Path dir, String file, Position record, Position next) throws IOException {
    try (FileChannel ch =
        FileChannel.open(dir.resolve(file), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = next.offset() - 1;
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x5A));
      b.rewind();
      ch.write(b, at);
      ch.force(true);
    }
    Files.deleteIfExists(dir.resolve("clean-shutdown"));
  }
}
