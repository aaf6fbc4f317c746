/**
 * The invocation journal shared by the agent ({@code dev.noriwal.jmx.agent}) and the CDI
 * interceptor (wal-cdi): record types, their on-disk {@link dev.noriwal.jmx.journal.JournalFormat},
 * the {@link dev.noriwal.jmx.journal.InvocationCodec} SPI with its dependency-free JSON codec, and
 * {@link dev.noriwal.jmx.journal.Journal} to write entries and find unfinished calls.
 */
package dev.noriwal.jmx.journal;
