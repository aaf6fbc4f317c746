package dev.noriwal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The open {@link RetentionClaim}s of one log and the rule that turns them into a deletion limit.
 * Thread-safe: claims are added and closed from any thread while a deletion reads them.
 */
final class RetentionClaims {

  private final CopyOnWriteArrayList<Claim> open = new CopyOnWriteArrayList<>();

  RetentionClaim add(String holder, Supplier<Position> oldestNeeded) {
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(oldestNeeded, "oldestNeeded");
    if (holder.isBlank()) {
      throw new IllegalArgumentException("holder must not be blank");
    }
    Claim c = new Claim(holder, oldestNeeded);
    open.add(c);
    return c;
  }

  /**
   * Deletes before {@code requested} as far as the claims allow: segments are offered oldest first
   * and the plan stops at the first one a claim (or the request) keeps.
   */
  SegmentDeletionPlan plan(Position requested, List<SegmentInfo> sealedOldestFirst) {
    List<Claim> claims = List.copyOf(open);
    List<Position> needed = new ArrayList<>(claims.size());
    for (Claim c : claims) {
      needed.add(Objects.requireNonNull(c.oldestNeeded.get(), () -> c.holder + " needs null"));
    }
    List<SegmentInfo> delete = new ArrayList<>();
    List<String> heldBy = new ArrayList<>();
    Position applied = requested;
    for (SegmentInfo s : sealedOldestFirst) {
      if (!whollyBefore(s, requested)) {
        break;
      }
      for (int i = 0; i < claims.size(); i++) {
        if (!whollyBefore(s, needed.get(i))) {
          heldBy.add(claims.get(i).holder);
        }
      }
      if (!heldBy.isEmpty()) {
        applied = new Position(s.id(), 0);
        break;
      }
      delete.add(s);
    }
    return new SegmentDeletionPlan(delete, requested, applied, heldBy);
  }

  static boolean whollyBefore(SegmentInfo s, Position p) {
    return s.id() < p.segmentId() || (s.id() == p.segmentId() && p.offset() >= s.size());
  }

  /** Segments to delete, oldest first, and what to report when they are gone. */
  record SegmentDeletionPlan(
      List<SegmentInfo> delete, Position requested, Position applied, List<String> heldBy) {
    SegmentDeletion result(int deleted) {
      return new SegmentDeletion(deleted, requested, applied, heldBy);
    }
  }

  private final class Claim implements RetentionClaim {
    final String holder;
    final Supplier<Position> oldestNeeded;

    Claim(String holder, Supplier<Position> oldestNeeded) {
      this.holder = holder;
      this.oldestNeeded = oldestNeeded;
    }

    @Override
    public String holder() {
      return holder;
    }

    @Override
    public void close() {
      open.remove(this);
    }

    @Override
    public String toString() {
      return "RetentionClaim[" + holder + "]";
    }
  }
}
