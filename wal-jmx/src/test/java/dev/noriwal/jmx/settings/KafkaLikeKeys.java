package dev.noriwal.jmx.settings;

import java.util.Set;

/** A contribution as a module such as a Kafka relay registers it (META-INF/services). */
public final class KafkaLikeKeys implements SettingKeys {
  @Override
  public Set<String> prefixes() {
    return Set.of("kafka.");
  }
}
