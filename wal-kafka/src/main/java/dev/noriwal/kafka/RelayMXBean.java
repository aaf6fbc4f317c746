package dev.noriwal.kafka;

/**
 * The management view of one {@link KafkaRelay}, registered as {@code
 * dev.noriwal:type=Relay,name=<name>} on the platform MBeanServer. Every attribute is an open type.
 */
public interface RelayMXBean {

  /**
   * Where the relay stands: CONNECTING, RUNNING, PAUSED, BACKING_OFF, MISCONFIGURED, STOPPED,
   * CLOSED.
   */
  String getState();

  /** The log position up to which records are committed to Kafka, SEGMENT:OFFSET, or empty. */
  String getPublishedPosition();

  /** Log bytes not yet committed to Kafka. */
  long getLagBytes();

  /** Log records not yet committed to Kafka; -1 until the relay has once caught up with the log. */
  long getLagRecords();

  long getRecordsPublished();

  long getTransactionsCommitted();

  long getTransactionsAborted();

  /** The latest failure, one line, or empty. */
  String getLastError();

  String getTopic();

  String getTransactionalId();

  String getBootstrapServers();

  /** Finishes the transaction in progress and publishes nothing more until resume. */
  void pause();

  void resume();
}
