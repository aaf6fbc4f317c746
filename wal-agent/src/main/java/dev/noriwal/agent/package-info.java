/**
 * The Java agent ({@code wal-agent-<version>.jar}): starts the JVM-wide {@link
 * dev.noriwal.jmx.WalService}, opens the logs named in its options and journals methods annotated
 * {@link dev.noriwal.agent.Journaled} (matched by name) with inlined Byte Buddy advice. See {@link
 * dev.noriwal.agent.WalAgent} and {@link dev.noriwal.agent.AgentOptions}.
 */
@NullMarked
package dev.noriwal.agent;

import org.jspecify.annotations.NullMarked;
