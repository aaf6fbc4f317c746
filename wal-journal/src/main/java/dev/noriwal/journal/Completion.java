package dev.noriwal.journal;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call that returned normally.
 *
 * @param invocationId the id of its {@link Invocation}
 * @param timestamp when it returned
 * @param result the return value in the bytes of its invocation's codec (a copy is kept and handed
 *     out), or {@code null} for a {@code void} method or when the result was not recorded
 */
// Equality and hashing compare the bytes' contents (overridden below), so the array is safe here.
@SuppressWarnings("ArrayRecordComponent")
public record Completion(String invocationId, Instant timestamp, byte @Nullable [] result)
    implements JournalEntry {

  public Completion {
    Objects.requireNonNull(invocationId, "invocationId");
    Objects.requireNonNull(timestamp, "timestamp");
    result = result == null ? null : result.clone();
  }

  @Override
  public byte @Nullable [] result() {
    return result == null ? null : result.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Completion c
        && invocationId.equals(c.invocationId)
        && timestamp.equals(c.timestamp)
        && Arrays.equals(result, c.result);
  }

  @Override
  public int hashCode() {
    return Objects.hash(invocationId, timestamp) + 31 * Arrays.hashCode(result);
  }

  @Override
  public String toString() {
    return "Completion["
        + invocationId
        + " at "
        + timestamp
        + (result == null ? " no result" : " " + result.length + " bytes")
        + "]";
  }
}
