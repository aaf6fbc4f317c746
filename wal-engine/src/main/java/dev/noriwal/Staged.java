package dev.noriwal;

import java.nio.ByteBuffer;

/** What the staging queue can hold, in position order: encoded records, or a rotation. */
sealed interface Staged {
  /** Encoded records, ready to be written (a full staging chunk, or one record larger than one). */
  record Bytes(ByteBuffer buffer) implements Staged {}

  /** Positions after this point are in segment {@code newSegmentId}: seal the active one first. */
  record Rotation(long newSegmentId) implements Staged {}
}
