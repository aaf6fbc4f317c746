package dev.noriwal.jmx.settings;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where {@code nori.wal.*} settings come from: the agent's option string, MicroProfile Config,
 * system properties. Implementations are thread-safe.
 */
public interface SettingSource {

  /** The value of {@code key}, if this source has one. */
  Optional<String> get(String key);

  /** Every key this source has that starts with {@link Settings#PREFIX}. */
  Set<String> keys();

  /** Where the value of {@code key} came from, in words ("system property", "agent option"). */
  String origin(String key);

  /** A fixed map of settings, all from {@code origin}. */
  static SettingSource of(Map<String, String> settings, String origin) {
    Map<String, String> copy = Map.copyOf(settings);
    return new SettingSource() {
      @Override
      public Optional<String> get(String key) {
        return Optional.ofNullable(copy.get(key));
      }

      @Override
      public Set<String> keys() {
        return Settings.ours(copy.keySet());
      }

      @Override
      public String origin(String key) {
        return origin;
      }
    };
  }

  /** The JVM's system properties, read at each call. */
  static SettingSource systemProperties() {
    return new SettingSource() {
      @Override
      public Optional<String> get(String key) {
        return Optional.ofNullable(System.getProperty(key));
      }

      @Override
      public Set<String> keys() {
        return Settings.ours(System.getProperties().stringPropertyNames());
      }

      @Override
      public String origin(String key) {
        return "system property";
      }
    };
  }
}
