package dev.noriwal;

import java.util.List;

/**
 * What {@link Wal#deleteSegmentsBefore} did.
 *
 * @param deleted how many sealed segments were deleted
 * @param requested the position the caller asked to delete before
 * @param appliedBefore the position deletion actually stopped at: {@code requested}, or earlier
 *     where a {@link RetentionClaim} still needed older records
 * @param heldBy the holders whose claims kept segments that {@code requested} would have deleted,
 *     empty when none did
 */
public record SegmentDeletion(
    int deleted, Position requested, Position appliedBefore, List<String> heldBy) {

  public SegmentDeletion {
    heldBy = List.copyOf(heldBy);
  }

  /** True when a claim kept segments the request would otherwise have deleted. */
  public boolean held() {
    return !heldBy.isEmpty();
  }
}
