package dev.noriwal.kafka;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JDK Flight Recorder event: a relay committed or aborted one Kafka transaction. */
@Name("dev.noriwal.kafka.Transaction")
@Label("WAL Relay Transaction")
@Category({"nori-wal", "Kafka"})
@Description("A Kafka transaction of a nori-wal relay: the log records it carried and its outcome")
final class TransactionEvent extends jdk.jfr.Event {
  @Label("Relay")
  String relay;

  @Label("Topic")
  String topic;

  @Label("First Position")
  String firstPosition;

  @Label("Next Position")
  String nextPosition;

  @Label("Records")
  int records;

  @Label("Bytes")
  @DataAmount
  long bytes;

  @Label("Committed")
  boolean committed;

  @Label("Error")
  String error;
}
