package dev.noriwal.cdi;

import dev.noriwal.journal.InvocationCodec;

/**
 * What the interceptor needs for one journaled method, once settings and codecs are known.
 *
 * @param log the log name
 * @param codec the codec its arguments and result go through
 */
record JournalTarget(String log, InvocationCodec codec) {}
