/**
 * The bridge between instrumented application classes and the agent: {@link
 * dev.noriwal.agent.hooks.JournalHooks}, JDK types only. On WildFly this package, and only this
 * one, goes into {@code JBOSS_MODULES_SYSTEM_PKGS}.
 */
@NullMarked
package dev.noriwal.agent.hooks;

import org.jspecify.annotations.NullMarked;
