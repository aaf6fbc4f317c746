package dev.noriwal.journal;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call about to run.
 *
 * @param invocationId UUID string tying this call to its {@link Completion} or {@link Failure}
 * @param beanClass binary name of the class whose method is called
 * @param method signature such as {@code transfer(java.lang.String,long)} (see {@link
 *     Journal#signature(java.lang.reflect.Method)})
 * @param timestamp when the call started
 * @param codec the {@link InvocationCodec#id()} that encoded {@code arguments}
 * @param arguments the codec's bytes for the arguments (a copy is kept and handed out)
 */
// Equality and hashing compare the bytes' contents (overridden below), so the array is safe here.
@SuppressWarnings("ArrayRecordComponent")
public record Invocation(
    String invocationId,
    String beanClass,
    String method,
    Instant timestamp,
    String codec,
    byte[] arguments)
    implements JournalEntry {

  public Invocation {
    Objects.requireNonNull(invocationId, "invocationId");
    Objects.requireNonNull(beanClass, "beanClass");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(codec, "codec");
    arguments = Objects.requireNonNull(arguments, "arguments").clone();
  }

  @Override
  public byte[] arguments() {
    return arguments.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Invocation i
        && invocationId.equals(i.invocationId)
        && beanClass.equals(i.beanClass)
        && method.equals(i.method)
        && timestamp.equals(i.timestamp)
        && codec.equals(i.codec)
        && Arrays.equals(arguments, i.arguments);
  }

  @Override
  public int hashCode() {
    return Objects.hash(invocationId, beanClass, method, timestamp, codec)
        + 31 * Arrays.hashCode(arguments);
  }

  @Override
  public String toString() {
    return "Invocation["
        + invocationId
        + " "
        + beanClass
        + "#"
        + method
        + " at "
        + timestamp
        + " codec="
        + codec
        + " "
        + arguments.length
        + " bytes]";
  }
}
