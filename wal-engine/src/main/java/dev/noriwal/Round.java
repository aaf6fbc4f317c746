package dev.noriwal;

import java.util.ArrayList;
import java.util.List;

/**
 * One round of work for the writer task: what {@link Staging#pollRound} moved out of staging and
 * what the round must do with it. Owned by the writer task, which reuses one instance round after
 * round.
 */
final class Round {
  /** Staged bytes and rotations, in position order. */
  final List<Staged> items = new ArrayList<>();

  /** The sequence number the round covers up to, and its position. */
  long target;

  Position targetPos = Position.START;

  /** Whether the round ends with a force. */
  boolean force;

  /** The log is closing: the writer's last round. */
  boolean closing;

  /** When the round was taken ({@link System#nanoTime}). */
  long takeNanos;
}
