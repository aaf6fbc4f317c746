/**
 * A relay that publishes a nori-wal log to an Apache Kafka topic exactly once, for consumers on
 * other machines: {@link dev.noriwal.kafka.KafkaRelay} (embedded on an open log), {@link
 * dev.noriwal.kafka.RelayMain} (standalone), its MXBean {@code dev.noriwal:type=Relay,name=<log>}
 * and the JDK Flight Recorder event {@code dev.noriwal.kafka.Transaction}.
 */
@NullMarked
package dev.noriwal.kafka;

import org.jspecify.annotations.NullMarked;
