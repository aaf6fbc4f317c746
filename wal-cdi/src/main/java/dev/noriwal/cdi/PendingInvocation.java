package dev.noriwal.cdi;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A journaled call that started but has neither a completion nor a failure record: the process
 * stopped while it ran (or before its outcome was written). It may or may not have taken effect;
 * the application decides whether to redo or compensate it. Immutable and thread-safe (the decoded
 * arguments are handed out as copies, but the argument objects themselves are shared).
 */
public final class PendingInvocation {
  private final String log;
  private final String invocationId;
  private final String beanClass;
  private final String method;
  private final Instant timestamp;
  private final String codec;
  private final byte[] rawArguments;
  private final @Nullable Method resolvedMethod;
  private final @Nullable Object @Nullable [] arguments;
  private final @Nullable String decodeProblem;

  PendingInvocation(
      String log,
      String invocationId,
      String beanClass,
      String method,
      Instant timestamp,
      String codec,
      byte[] rawArguments,
      @Nullable Method resolvedMethod,
      @Nullable Object @Nullable [] arguments,
      @Nullable String decodeProblem) {
    this.log = Objects.requireNonNull(log);
    this.invocationId = Objects.requireNonNull(invocationId);
    this.beanClass = Objects.requireNonNull(beanClass);
    this.method = Objects.requireNonNull(method);
    this.timestamp = Objects.requireNonNull(timestamp);
    this.codec = Objects.requireNonNull(codec);
    this.rawArguments = Objects.requireNonNull(rawArguments).clone();
    this.resolvedMethod = resolvedMethod;
    this.arguments = arguments;
    this.decodeProblem = decodeProblem;
  }

  /** The name of the log it was journaled in. */
  public String log() {
    return log;
  }

  public String invocationId() {
    return invocationId;
  }

  /** Binary name of the bean class, as journaled. */
  public String beanClass() {
    return beanClass;
  }

  /** The method signature, e.g. {@code transfer(java.lang.String,long)}. */
  public String method() {
    return method;
  }

  public Instant timestamp() {
    return timestamp;
  }

  /** The id of the codec that encoded the arguments. */
  public String codec() {
    return codec;
  }

  /** The arguments as journaled: the codec's bytes (a copy; UTF-8 JSON for the JSON codecs). */
  public byte[] rawArguments() {
    return rawArguments.clone();
  }

  /**
   * The arguments as journaled, as text: the codec's bytes read as UTF-8 (the JSON codecs' array
   * text, e.g. {@code ["acct-9",999]}), for logs and screens.
   */
  public String rawArgumentsText() {
    return new String(rawArguments, StandardCharsets.UTF_8);
  }

  /** The method, when the bean class and a method of that signature exist in this deployment. */
  public Optional<Method> resolvedMethod() {
    return Optional.ofNullable(resolvedMethod);
  }

  /**
   * The decoded arguments (a copy of the array), when the method could be resolved and the codec is
   * available here; otherwise empty, and {@link #rawArguments()} is all there is.
   */
  public Optional<Object[]> arguments() {
    return arguments == null ? Optional.empty() : Optional.of(arguments.clone());
  }

  /** Why {@link #arguments()} is empty, if it is. */
  public Optional<String> decodeProblem() {
    return Optional.ofNullable(decodeProblem);
  }

  @Override
  public String toString() {
    return "PendingInvocation["
        + log
        + " "
        + invocationId
        + " "
        + beanClass
        + "#"
        + method
        + " at "
        + timestamp
        + " args="
        + (arguments != null ? Arrays.deepToString(arguments) : rawArgumentsText())
        + "]";
  }
}
