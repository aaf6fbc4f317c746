package dev.noriwal.kafka;

/** Where a {@link KafkaRelay} stands; {@link RelayStatus#lastError()} says why for the bad ones. */
public enum RelayState {
  /** Creating the producer, fencing earlier instances and reading the topic's tail. */
  CONNECTING,
  /** Publishing, or waiting for new records. */
  RUNNING,
  /** Paused by an operator; the log keeps growing and the retention claim holds. */
  PAUSED,
  /** The broker is unreachable or failed a transaction; the relay waits and tries again. */
  BACKING_OFF,
  /**
   * The topic is missing or the relay is not allowed to use it (authentication, authorization); the
   * relay retries at the longest backoff, so fixing the cluster lets it continue.
   */
  MISCONFIGURED,
  /**
   * Stopped for good: a record too large for the producer or broker, another relay with the same
   * {@code transactional.id}, or a topic that does not fit the log. Nothing after the last
   * published position was skipped; fix the cause and start the relay again.
   */
  STOPPED,
  /** Closed. */
  CLOSED
}
