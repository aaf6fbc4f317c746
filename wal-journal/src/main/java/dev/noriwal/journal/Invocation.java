package dev.noriwal.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * A call about to run.
 *
 * @param invocationId UUID string tying this call to its {@link Completion} or {@link Failure}
 * @param beanClass binary name of the class whose method is called
 * @param method signature such as {@code transfer(java.lang.String,long)} (see {@link
 *     Journal#signature(java.lang.reflect.Method)})
 * @param timestamp when the call started
 * @param codec the {@link InvocationCodec#id()} that encoded {@code arguments}
 * @param arguments the arguments as the codec's JSON array text
 */
public record Invocation(
    String invocationId,
    String beanClass,
    String method,
    Instant timestamp,
    String codec,
    String arguments)
    implements JournalEntry {

  public Invocation {
    Objects.requireNonNull(invocationId, "invocationId");
    Objects.requireNonNull(beanClass, "beanClass");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(arguments, "arguments");
  }
}
