package dev.noriwal.agent;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose calls the agent (wal-agent) journals into the log named by {@link #value()}:
 * an invocation record before the body runs, a completion or failure record after it.
 *
 * <p>For classes that no CDI container manages (plain objects, singletons, code run from {@code
 * main}). The agent matches any annotation whose simple name is {@code Journaled} and that has a
 * {@code String value()}, so an application may declare its own copy and not depend on wal-agent;
 * annotations meta-annotated {@code @jakarta.interceptor.InterceptorBinding} (such as wal-cdi's)
 * are left to the CDI interceptor.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Journaled {
  /** The name of the log, as opened by the agent options ({@code log.<name>.dir=...}). */
  String value();
}
