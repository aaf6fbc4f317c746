package dev.noriwal.cdi;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Journals every call of a business method in the named log, write-ahead: an invocation record (id,
 * bean class, method signature, timestamp, encoded arguments) is appended and durable under the
 * log's fsync policy before the method body runs; a completion record (with the encoded result
 * where the codec can encode it) follows a normal return, a failure record (exception type and
 * message) follows a throw. If the invocation record cannot be encoded or written, the method does
 * not run and the caller gets the error. See {@link JournalInterceptor}.
 *
 * <p>On a class it applies to every business method of the class. A method annotation wins over the
 * class annotation. The method must be one the container can intercept: not private, not static,
 * not final, in a class that is not final; the extension rejects the deployment otherwise.
 */
@InterceptorBinding
@Inherited
@Documented
@Retention(RUNTIME)
@Target({TYPE, METHOD})
public @interface Journaled {

  /** The log name (same rules as {@link Durable#value()}). */
  @Nonbinding
  String value();

  /**
   * The codec id: {@code "json"} (JSON-B over the portable types of {@code
   * dev.noriwal.journal.JsonTypes}, the JSON the agent writes too) or {@code "jsonb"} (anything
   * JSON-B binds), both where the runtime provides JSON-B, or the id of an {@code InvocationCodec}
   * registered with {@link java.util.ServiceLoader}. The {@code nori.wal.<name>.codec} setting,
   * when present, overrides it for every method journaled in that log.
   */
  @Nonbinding
  String codec() default "json";
}
