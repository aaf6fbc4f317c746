package dev.noriwal.kafka;

import dev.noriwal.Position;
import dev.noriwal.SegmentInfo;
import dev.noriwal.Wal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The log as a relay sees it: whether a position read back from the topic belongs to it, how many
 * record bytes lie between two positions, and one name for the place where a sealed segment ends
 * and the next begins. Thread-safe (reads the log's segment list only).
 */
final class RelayedLog {
  private final Wal wal;
  private final RelaySettings settings;

  RelayedLog(Wal wal, RelaySettings settings) {
    this.wal = wal;
    this.settings = settings;
  }

  Wal wal() {
    return wal;
  }

  /**
   * Where to resume given the largest {@code nori.next} the topic holds for this relay ({@code
   * null}: none, so from the log's oldest record).
   *
   * @throws RelayStopped if that position lies past the log's end (another log published it) or
   *     before its oldest record (records were deleted unpublished)
   */
  Position resumeAt(@Nullable Position found) throws RelayStopped {
    List<SegmentInfo> segments = wal.segments();
    Position oldest = segments.isEmpty() ? Position.START : new Position(segments.get(0).id(), 0);
    Position end = wal.currentPosition();
    if (found == null) {
      return oldest;
    }
    if (found.compareTo(end) > 0) {
      throw new RelayStopped(
          "topic '"
              + settings.topic()
              + "' holds records of relay '"
              + settings.transactionalId()
              + "' up to position "
              + found
              + ", past this log's end "
              + end
              + " ("
              + wal.config().directory()
              + "): is this the log that published them?",
          null);
    }
    if (found.compareTo(oldest) < 0) {
      throw new RelayStopped(
          "the relay published up to position "
              + found
              + " but the log ("
              + wal.config().directory()
              + ") now starts at "
              + oldest
              + ": the records in between were deleted unpublished",
          null);
    }
    return found;
  }

  /** Record bytes of the log from {@code from} up to {@code to}. */
  long bytesBetween(Position from, Position to) {
    long n = 0;
    for (SegmentInfo s : wal.segments()) {
      if (s.id() < from.segmentId() || s.id() > to.segmentId()) {
        continue;
      }
      long start = s.id() == from.segmentId() ? from.offset() : 0;
      long end = s.id() == to.segmentId() ? to.offset() : s.size();
      n += Math.max(0, end - start);
    }
    return n;
  }

  /**
   * The end of a sealed segment and the start of the next are the same place in the record
   * sequence; the start of the next is what the retention claim and {@link
   * KafkaRelay#awaitPublished} need.
   */
  Position normalize(Position p) {
    List<SegmentInfo> segments = wal.segments();
    for (int i = 0; i + 1 < segments.size(); i++) {
      SegmentInfo s = segments.get(i);
      if (s.id() == p.segmentId() && s.sealed() && p.offset() >= s.size()) {
        return new Position(segments.get(i + 1).id(), 0);
      }
    }
    return p;
  }
}
