package dev.noriwal.journal;

import java.time.Instant;

/**
 * One record of an invocation journal: an {@link Invocation} written before a business method runs,
 * then a {@link Completion} or a {@link Failure} written after it. Both the agent and the CDI
 * interceptor write these, in the format of {@link JournalFormat}, so one reader understands both.
 */
public sealed interface JournalEntry permits Invocation, Completion, Failure {

  /** The id that ties an invocation to its outcome (a UUID string). */
  String invocationId();

  /** When the record was made (wall clock of the writing JVM). */
  Instant timestamp();
}
