package dev.noriwal.kafka;

import org.jspecify.annotations.Nullable;

/**
 * A failure that ends a relay for good ({@link RelayState#STOPPED}): a record too large for Kafka,
 * or a topic whose position does not fit the log. The message names the position.
 */
final class RelayStopped extends Exception {
  private static final long serialVersionUID = 1L;

  RelayStopped(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
