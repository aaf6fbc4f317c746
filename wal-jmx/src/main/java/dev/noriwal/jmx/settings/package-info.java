/**
 * The one vocabulary of log settings ({@code nori.wal.<name>.*}), the one log-name rule and the
 * parser that the agent's options and wal-cdi's MicroProfile Config both go through.
 */
@NullMarked
package dev.noriwal.jmx.settings;

import org.jspecify.annotations.NullMarked;
