package dev.noriwal.kafka;

import dev.noriwal.Position;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of a relay, taken by {@link KafkaRelay#status()}.
 *
 * @param state where the relay stands
 * @param published the position up to which records are committed to Kafka (the next record to
 *     publish starts here); {@code null} until the relay has read the topic's tail
 * @param lagBytes bytes of the log from {@code published} to the log's current position
 * @param lagRecords records appended and not yet committed to Kafka; -1 until the relay has once
 *     committed every record of the log (it counts appends from that moment on)
 * @param recordsPublished records committed since the relay started
 * @param transactionsCommitted transactions committed since the relay started
 * @param transactionsAborted transactions aborted (or of unknown outcome) since the relay started
 * @param lastError the latest failure as one line, or {@code null}
 */
public record RelayStatus(
    RelayState state,
    @Nullable Position published,
    long lagBytes,
    long lagRecords,
    long recordsPublished,
    long transactionsCommitted,
    long transactionsAborted,
    @Nullable String lastError) {}
