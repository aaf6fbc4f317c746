package dev.noriwal.cdi;

import dev.noriwal.jmx.settings.SettingKeys;
import java.util.Set;

/**
 * {@code nori.wal.<name>.kafka.*}: the settings of a log's Kafka relay, which {@link KafkaRelays}
 * checks itself (and reports as unknown when wal-kafka is missing), so they are not unknown keys.
 */
public final class KafkaSettingKeys implements SettingKeys {
  @Override
  public Set<String> prefixes() {
    return Set.of("kafka.");
  }
}
