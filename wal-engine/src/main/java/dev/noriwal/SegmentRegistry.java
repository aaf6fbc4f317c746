package dev.noriwal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The log's segments: which exist, their sizes once sealed, how many records each holds, and who
 * still needs them (retention claims). Thread-safe: the maps are concurrent (the writer task adds
 * and seals, staging counts records, readers and stats look up, any thread deletes); deletions are
 * serialized by their own monitor, which is taken with no other lock of the log held. The close
 * ends deletions under the same monitor ({@link #endDeletions}) before it writes the clean-shutdown
 * marker and releases the directory lock, so no file is deleted after {@code close()} returns (when
 * another process may own the directory). Deletion events are sent after the monitor is released: a
 * listener may call {@code close()}.
 */
final class SegmentRegistry {
  /** A check made under the deletion monitor before anything is deleted. */
  @FunctionalInterface
  interface Precondition {
    void check() throws IOException;
  }

  private final Path dir;
  private final ChannelOpener opener;
  private final WalEvents events;
  private final ConcurrentSkipListMap<Long, SegmentInfo> segments = new ConcurrentSkipListMap<>();

  /** Records per segment other than the one positions are being assigned in (see Staging). */
  private final Map<Long, Long> segmentRecords = new ConcurrentHashMap<>();

  private final Object deletion = new Object();
  private boolean deletionsEnded; // guarded by deletion
  private final RetentionClaims claims = new RetentionClaims();

  SegmentRegistry(Path dir, ChannelOpener opener, WalEvents events, List<Recovery.Segment> found) {
    this.dir = dir;
    this.opener = opener;
    this.events = events;
    for (Recovery.Segment s : found) {
      segments.put(s.id(), new SegmentInfo(s.id(), s.fileName(), s.size(), true));
      segmentRecords.put(s.id(), s.records());
    }
  }

  boolean isEmpty() {
    return segments.isEmpty();
  }

  SegmentInfo last() {
    return segments.lastEntry().getValue();
  }

  @Nullable SegmentInfo get(long id) {
    return segments.get(id);
  }

  @Nullable Long firstId() {
    Map.Entry<Long, SegmentInfo> e = segments.firstEntry();
    return e == null ? null : e.getKey();
  }

  /** Marks {@code id} as the active segment (unsealed), keeping the name it was found under. */
  void activate(long id, long size) {
    SegmentInfo known = segments.get(id);
    String name = known != null ? known.fileName() : SegmentName.toFileName(id);
    segments.put(id, new SegmentInfo(id, name, size, false));
  }

  /** Marks {@code id} sealed at {@code size} bytes. */
  void seal(long id, long size) {
    SegmentInfo known = Objects.requireNonNull(segments.get(id), "segment being sealed");
    segments.put(id, new SegmentInfo(id, known.fileName(), size, true));
  }

  /** Removes and returns the record count kept for {@code id} (0 if none): it becomes active. */
  long takeRecords(long id) {
    Long n = segmentRecords.remove(id);
    return n == null ? 0 : n;
  }

  /** Keeps the final record count of a segment positions have moved past. */
  void putRecords(long id, long records) {
    segmentRecords.put(id, records);
  }

  /** Every segment, the active one ({@code activeId}) sized by what is written of it so far. */
  List<SegmentInfo> view(long activeId, Position written) {
    List<SegmentInfo> out = new ArrayList<>();
    for (SegmentInfo s : segments.values()) {
      if (s.id() == activeId && !s.sealed()) {
        long size = written.segmentId() == s.id() ? written.offset() : s.size();
        out.add(new SegmentInfo(s.id(), s.fileName(), size, false));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Deletes sealed segments before {@code position} that no retention claim still needs, then
   * forces the directory.
   */
  SegmentDeletion deleteBefore(Position position, LongSupplier activeId, Precondition check)
      throws IOException {
    List<WalEvent> done = new ArrayList<>();
    try {
      synchronized (deletion) {
        check.check();
        if (deletionsEnded) {
          throw new IllegalStateException("log in " + dir + " is closed");
        }
        long active = activeId.getAsLong();
        RetentionClaims.SegmentDeletionPlan plan =
            claims.plan(position, List.copyOf(segments.headMap(active, false).values()));
        for (SegmentInfo s : plan.delete()) {
          opener.delete(dir.resolve(s.fileName()));
          segments.remove(s.id());
          segmentRecords.remove(s.id());
          done.add(new WalEvent.SegmentDeleted(dir, s.id(), s.size()));
        }
        if (!done.isEmpty()) {
          opener.forceDirectory(dir);
        }
        return plan.result(done.size());
      }
    } finally {
      done.forEach(events::emit);
    }
  }

  /**
   * Waits for a deletion in progress and refuses every later one. Called once by the close, before
   * the clean-shutdown marker is written and the directory lock released.
   */
  void endDeletions() {
    synchronized (deletion) {
      deletionsEnded = true;
    }
  }

  RetentionClaim retain(String holder, Supplier<Position> oldestNeeded) {
    return claims.add(holder, oldestNeeded);
  }

  /**
   * The clean-shutdown marker for the segments as they are now; the active segment ({@code
   * activeId}) holds {@code activeRecords}. Reads every segment file's identity.
   */
  CleanMarker marker(long activeId, long activeRecords) throws IOException {
    Map<Long, Long> perSegment = new TreeMap<>(segmentRecords);
    perSegment.put(activeId, activeRecords);
    long records = 0;
    List<CleanMarker.Entry> entries = new ArrayList<>();
    for (SegmentInfo si : segments.values()) {
      long n = perSegment.getOrDefault(si.id(), 0L);
      records += n;
      entries.add(CleanMarker.describe(dir.resolve(si.fileName()), n));
    }
    return new CleanMarker(records, entries);
  }
}
