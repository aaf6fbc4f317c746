package dev.noriwal.cdi;

import java.util.Optional;
import java.util.Set;

/**
 * Where {@code nori.wal.*} settings come from: MicroProfile Config when an implementation is on the
 * class path, else system properties. Thread-safe.
 */
@FunctionalInterface
interface ConfigLookup {

  Optional<String> get(String key);

  /**
   * Every key this source knows, for settings whose keys are open-ended (the Kafka producer
   * properties under {@code nori.wal.<name>.kafka.}).
   */
  default Set<String> names() {
    return Set.of();
  }

  /** System properties, read at each call. */
  static ConfigLookup systemProperties() {
    return new ConfigLookup() {
      @Override
      public Optional<String> get(String key) {
        return Optional.ofNullable(System.getProperty(key));
      }

      @Override
      public Set<String> names() {
        return System.getProperties().stringPropertyNames();
      }
    };
  }

  /**
   * MicroProfile Config of {@code loader} if both the API and an implementation are visible, else
   * {@link #systemProperties()}.
   */
  static ConfigLookup detect(ClassLoader loader) {
    try {
      Class.forName("org.eclipse.microprofile.config.ConfigProvider", false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return systemProperties();
    }
    // Only now is the class touching the MicroProfile API loaded.
    return MicroProfileConfigLookup.create(loader).orElseGet(ConfigLookup::systemProperties);
  }
}
