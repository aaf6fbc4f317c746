/**
 * The Java agent ({@code wal-jmx-<version>-agent.jar}): starts the JVM-wide {@link
 * dev.noriwal.jmx.WalService}, opens the logs named in its options and journals methods annotated
 * {@link dev.noriwal.jmx.agent.Journaled} (matched by name) with inlined Byte Buddy advice. See
 * {@link dev.noriwal.jmx.agent.WalAgent} and {@link dev.noriwal.jmx.agent.AgentOptions}.
 */
package dev.noriwal.jmx.agent;
