package dev.noriwal.cdi;

import java.util.Optional;

/**
 * Where {@code nori.wal.*} settings come from: MicroProfile Config when an implementation is on the
 * class path, else system properties. Thread-safe.
 */
@FunctionalInterface
interface ConfigLookup {

  Optional<String> get(String key);

  /** System properties, read at each call. */
  static ConfigLookup systemProperties() {
    return key -> Optional.ofNullable(System.getProperty(key));
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
