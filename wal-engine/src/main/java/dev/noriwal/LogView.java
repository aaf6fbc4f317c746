package dev.noriwal;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link SegmentReader} needs to know about the log it reads: a live one or files at rest.
 */
interface LogView {
  Path directory();

  /** Everything before this position may be read. */
  Position visibleEnd();

  /**
   * Where the next record will be appended: at or after {@link #visibleEnd()}. It may name a
   * segment whose rotation is staged but not yet written; a reader may start there and waits.
   */
  Position currentPosition();

  /** The segment with this id, or null if there is none (never created, or deleted). */
  @Nullable SegmentInfo segment(long id);

  /** The oldest segment's id, or null for an empty log. */
  @Nullable Long firstSegmentId();

  boolean isClosed();

  /** Waits until the visible end moves past {@code seen}, the log closes, or the time is up. */
  void awaitBeyond(Position seen, long nanos) throws InterruptedException;
}
