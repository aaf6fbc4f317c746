package dev.noriwal;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/** What the staging queue can hold, in position order: encoded records, or a rotation. */
sealed interface Staged {
  /**
   * Encoded records, ready to be written: bytes {@code [from, to)} of {@code view}, a slice of a
   * staging chunk or one record larger than a chunk in a buffer of its own. {@code view} is the
   * writer's view of the chunk (shared by all the chunk's slices, never by appenders, who fill the
   * chunk itself), so a slice costs no buffer of its own. {@code chunk} is the staging chunk this
   * slice ends, to be reused once the slice is written (its earlier slices went in earlier rounds);
   * null while the chunk is still being filled, or for a buffer of its own.
   *
   * <p>Immutable once queued, except the one instance {@link StagingArea} reuses for the slice of
   * the filling chunk: it {@link #reset}s it for a round only after the round that held it was
   * written, so no round ever sees it change.
   */
  final class Bytes implements Staged {
    private ByteBuffer view;
    private int from;
    private int to;
    private final @Nullable ByteBuffer chunk;

    Bytes(ByteBuffer view, int from, int to, @Nullable ByteBuffer chunk) {
      this.view = view;
      this.from = from;
      this.to = to;
      this.chunk = chunk;
    }

    /** Points this slice at other bytes; only for a slice no round holds (see the class doc). */
    Bytes reset(ByteBuffer newView, int newFrom, int newTo) {
      this.view = newView;
      this.from = newFrom;
      this.to = newTo;
      return this;
    }

    ByteBuffer view() {
      return view;
    }

    int from() {
      return from;
    }

    int to() {
      return to;
    }

    @Nullable ByteBuffer chunk() {
      return chunk;
    }

    int length() {
      return to - from;
    }

    /** The view, positioned on this slice; only the commit holder calls it (it moves the view). */
    ByteBuffer bytes() {
      return view.limit(to).position(from);
    }

    @Override
    public String toString() {
      return "Bytes[" + from + ", " + to + (chunk != null ? ", ends its chunk]" : "]");
    }
  }

  /** Positions after this point are in segment {@code newSegmentId}: seal the active one first. */
  record Rotation(long newSegmentId) implements Staged {}
}
