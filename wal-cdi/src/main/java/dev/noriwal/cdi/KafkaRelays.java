package dev.noriwal.cdi;

import dev.noriwal.Wal;
import dev.noriwal.jmx.settings.SettingSource;
import dev.noriwal.jmx.settings.Settings;
import dev.noriwal.kafka.KafkaRelay;
import dev.noriwal.kafka.RelaySettings;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The Kafka relays of a deployment's logs, configured by {@code nori.wal.<name>.kafka.*} (the
 * wal-kafka keys: {@code bootstrap-servers}, {@code topic}, ... and any Kafka producer property;
 * see {@link RelaySettings#parse}). Only loaded when such keys exist, so wal-kafka stays an
 * optional dependency. Used by {@link WalDeployment} under its lock.
 */
final class KafkaRelays {
  private final Map<String, RelaySettings> settings = new TreeMap<>();
  private final Map<String, KafkaRelay> running = new TreeMap<>();

  static String prefix(String log) {
    return Settings.key(log, "kafka.");
  }

  /** The raw {@code nori.wal.<log>.kafka.*} settings, keys without the prefix; empty if none. */
  static Map<String, String> raw(String log, SettingSource source) {
    String prefix = prefix(log);
    Map<String, String> out = new TreeMap<>();
    for (String key : source.keys()) {
      if (key.startsWith(prefix)) {
        source.get(key).ifPresent(v -> out.put(key.substring(prefix.length()), v));
      }
    }
    return out;
  }

  static boolean available(ClassLoader loader) {
    try {
      Class.forName("dev.noriwal.kafka.KafkaRelay", false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Validates the settings of {@code log}; returns the problem, or null. */
  @Nullable String add(String log, Map<String, String> raw) {
    try {
      settings.put(log, RelaySettings.parse(log, raw, prefix(log)));
      return null;
    } catch (IllegalArgumentException e) {
      return Messages.badKafkaSettings(log, String.valueOf(e.getMessage()));
    }
  }

  boolean has(String log) {
    return settings.containsKey(log);
  }

  void start(String log, Wal wal) {
    RelaySettings s = settings.get(log);
    if (s != null) {
      running.put(log, KafkaRelay.start(wal, s));
    }
  }

  /** Stops every relay (before their logs close). */
  void closeAll() {
    running.values().forEach(KafkaRelay::close);
    running.clear();
  }
}
