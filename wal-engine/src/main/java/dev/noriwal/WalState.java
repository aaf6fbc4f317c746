package dev.noriwal;

/** Lifecycle of an open log. */
public enum WalState {
  /** Accepting appends. */
  OPEN,
  /** Stopped after a failed write or force; see {@link Wal#failure()}. */
  FAILED,
  /** Closed by {@link Wal#close()}. */
  CLOSED
}
