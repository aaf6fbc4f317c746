package dev.noriwal.jmx;

/** What a log registered with {@link WalService} is doing. */
public enum LogState {
  /** Open and accepting appends. */
  OPEN,
  /**
   * Failed to open (for example corruption under {@code TOLERATE_TORN_TAIL}) or fenced after a
   * failed write or force; {@link WalService#failureOf(String)} has the cause. Recover it with
   * {@link WalService#recover}.
   */
  FAILED,
  /** Closed; the name and configuration are kept so it can be opened again. */
  CLOSED
}
