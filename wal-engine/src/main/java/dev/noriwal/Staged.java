package dev.noriwal;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/** What the staging queue can hold, in position order: encoded records, or a rotation. */
sealed interface Staged {
  /**
   * Encoded records, ready to be written: a slice of a staging chunk, or one record larger than a
   * chunk. {@code chunk} is the staging chunk this slice ends, to be reused once the slice is
   * written (its earlier slices went in earlier rounds); null while the chunk is still being filled
   * or for a buffer of its own.
   */
  record Bytes(ByteBuffer buffer, @Nullable ByteBuffer chunk) implements Staged {}

  /** Positions after this point are in segment {@code newSegmentId}: seal the active one first. */
  record Rotation(long newSegmentId) implements Staged {}
}
