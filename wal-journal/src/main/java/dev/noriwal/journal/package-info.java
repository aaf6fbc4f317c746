/**
 * The invocation journal shared by the agent ({@code dev.noriwal.agent}) and the CDI interceptor
 * (wal-cdi): record types, their on-disk {@link dev.noriwal.journal.JournalFormat}, the byte-based
 * {@link dev.noriwal.journal.InvocationCodec} SPI with the JSON-B codecs (the JSON-B API is
 * optional: they are offered where the runtime has it) and the type contract of the portable {@code
 * "json"} codec ({@link dev.noriwal.journal.JsonTypes}), and {@link dev.noriwal.journal.Journal} to
 * write entries and find unfinished calls.
 */
@NullMarked
package dev.noriwal.journal;

import org.jspecify.annotations.NullMarked;
