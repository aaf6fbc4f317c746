package dev.noriwal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A log that nobody writes: every segment but the last is read to its file end, the last to a given
 * end (the valid end found by a scan). Used by {@link Wal#readAtRest} and the {@code dump} command.
 * Thread-safe (immutable).
 */
record LogAtRest(Path directory, List<SegmentName> names, Position end) implements LogView {

  static WalReader reader(Path dir, Position end, Position from) throws IOException {
    return new SegmentReader(new LogAtRest(dir, Recovery.list(dir), end), from);
  }

  @Override
  public Position currentPosition() {
    return end;
  }

  @Override
  public Position visibleEnd() {
    return end;
  }

  @Override
  public @Nullable SegmentInfo segment(long id) {
    for (SegmentName n : names) {
      if (n.id() == id) {
        long size;
        try {
          size = id == end.segmentId() ? end.offset() : Files.size(directory.resolve(n.fileName()));
        } catch (IOException e) {
          return null;
        }
        return new SegmentInfo(id, n.fileName(), size, id != end.segmentId());
      }
    }
    return null;
  }

  @Override
  public @Nullable Long firstSegmentId() {
    return names.isEmpty() ? null : names.get(0).id();
  }

  @Override
  public boolean isClosed() {
    return true;
  }

  @Override
  public void awaitBeyond(Position seen, long nanos) {}
}
