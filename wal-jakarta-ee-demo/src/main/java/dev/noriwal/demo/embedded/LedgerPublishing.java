package dev.noriwal.demo.embedded;

import dev.noriwal.Wal;
import dev.noriwal.kafka.KafkaRelay;
import dev.noriwal.kafka.RelaySettings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * {@code ./demo.sh --kafka HOST:PORT}: publishes the ledger log to a Kafka topic with a {@link
 * KafkaRelay}, so {@code ./demo-balances.sh} in another process (another machine, in spirit)
 * rebuilds the balances from it. The demo creates the topic (one partition, so the events keep the
 * ledger's order) if the cluster does not have it yet.
 */
final class LedgerPublishing {
  /** The topic the ledger's events go to unless {@code --kafka-topic} says otherwise. */
  static final String DEFAULT_TOPIC = "ledger-events";

  private LedgerPublishing() {}

  static KafkaRelay start(Wal ledger, String bootstrap, String topic)
      throws InterruptedException, ExecutionException, TimeoutException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) -1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    return KafkaRelay.start(ledger, RelaySettings.builder(bootstrap, topic).name("ledger").build());
  }
}
