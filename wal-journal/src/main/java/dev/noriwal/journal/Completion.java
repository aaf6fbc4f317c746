package dev.noriwal.journal;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call that returned normally.
 *
 * @param invocationId the id of its {@link Invocation}
 * @param timestamp when it returned
 * @param result the return value as JSON text (possibly {@code "null"}), or {@code null} for a
 *     {@code void} method or when the result was not recorded
 */
public record Completion(String invocationId, Instant timestamp, @Nullable String result)
    implements JournalEntry {

  public Completion {
    Objects.requireNonNull(invocationId, "invocationId");
    Objects.requireNonNull(timestamp, "timestamp");
  }
}
