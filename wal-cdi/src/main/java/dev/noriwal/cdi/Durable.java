package dev.noriwal.cdi;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Injects the log with the given name: {@code @Inject @Durable("orders") Wal orders;}.
 *
 * <p>The log is the one the JVM-wide {@code dev.noriwal.jmx.WalService} holds under that name, so
 * the same instance is seen by every bean, by JMX and by the agent. It is configured from the
 * {@code nori.wal.<name>.*} keys (see {@link WalExtension}). Do not close it: the extension closes
 * the logs it opened when the container shuts down.
 *
 * <p>The name is {@link Nonbinding}, so one producer serves every injection point, including those
 * of non-contextual instances (test classes, {@code Unmanaged}) that extensions never see.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, PARAMETER, METHOD, TYPE})
public @interface Durable {

  /**
   * The log name: letters, digits, {@code .}, {@code _} and {@code -}; it names the log's directory
   * and its configuration keys.
   */
  @Nonbinding
  String value();
}
