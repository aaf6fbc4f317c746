package dev.noriwal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * When an open may skip the scan: a clean-shutdown marker is believed only if the segments on disk
 * are exactly the ones it names. Stateless.
 */
final class MarkerTrust {
  private MarkerTrust() {}

  /**
   * The recovery outcome a valid clean-shutdown marker vouches for, or null if in doubt: every
   * segment file must be one the marker names, with the same size and identity, and ids contiguous.
   */
  static Recovery.@Nullable Outcome trusted(Path dir, RecoveryMode mode, CleanMarker m, long t0)
      throws IOException {
    List<SegmentName> names = Recovery.list(dir);
    if (names.isEmpty() || names.size() != m.segments().size()) {
      return null;
    }
    for (int i = 1; i < names.size(); i++) {
      if (names.get(i).id() != names.get(i - 1).id() + 1) {
        return null;
      }
    }
    List<CleanMarker.Entry> now = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      now.add(
          CleanMarker.describe(
              dir.resolve(names.get(i).fileName()), m.segments().get(i).records()));
    }
    if (!m.matches(now)) {
      return null;
    }
    List<Recovery.Segment> segs = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      SegmentName n = names.get(i);
      segs.add(new Recovery.Segment(n.id(), n.fileName(), now.get(i).size(), now.get(i).records()));
    }
    SegmentName last = names.get(names.size() - 1);
    long lastSize = now.get(now.size() - 1).size();
    RecoveryInfo info =
        new RecoveryInfo(
            mode,
            m.records(),
            names.size(),
            0,
            segs.stream().mapToLong(Recovery.Segment::size).sum(),
            0,
            0,
            0,
            List.of(),
            RecoveryInfo.Action.NONE,
            new Position(last.id(), lastSize),
            true,
            Duration.ofNanos(System.nanoTime() - t0));
    return new Recovery.Outcome(info, segs);
  }
}
