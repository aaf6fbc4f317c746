package dev.noriwal.journal;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call that threw.
 *
 * @param invocationId the id of its {@link Invocation}
 * @param timestamp when it threw
 * @param exceptionType binary name of the thrown exception's class
 * @param message the exception's message, or {@code null} if it had none
 */
public record Failure(
    String invocationId, Instant timestamp, String exceptionType, @Nullable String message)
    implements JournalEntry {

  public Failure {
    Objects.requireNonNull(invocationId, "invocationId");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(exceptionType, "exceptionType");
  }
}
