/**
 * The invocation journal shared by the agent ({@code dev.noriwal.agent}) and the CDI interceptor
 * (wal-cdi): record types, their on-disk {@link dev.noriwal.journal.JournalFormat}, the {@link
 * dev.noriwal.journal.InvocationCodec} SPI with its dependency-free JSON codec, and {@link
 * dev.noriwal.journal.Journal} to write entries and find unfinished calls.
 */
@NullMarked
package dev.noriwal.journal;

import org.jspecify.annotations.NullMarked;
