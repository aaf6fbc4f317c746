package dev.noriwal.kafka;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import org.jspecify.annotations.Nullable;

/** JDK Flight Recorder event: a relay committed or aborted one Kafka transaction. */
@Name("dev.noriwal.kafka.Transaction")
@Label("WAL Relay Transaction")
@Category({"nori-wal", "Kafka"})
@Description("A Kafka transaction of a nori-wal relay: the log records it carried and its outcome")
final class TransactionEvent extends jdk.jfr.Event {
  // The text fields stay null until TransactionPublisher.publish fills them in before commit().
  @Label("Relay")
  @Nullable String relay;

  @Label("Topic")
  @Nullable String topic;

  @Label("First Position")
  @Nullable String firstPosition;

  @Label("Next Position")
  @Nullable String nextPosition;

  @Label("Records")
  int records;

  @Label("Bytes")
  @DataAmount
  long bytes;

  @Label("Committed")
  boolean committed;

  @Label("Error")
  @Nullable String error; // null when committed
}
