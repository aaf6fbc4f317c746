package dev.noriwal.cdi;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Reads settings from MicroProfile Config. Isolated in its own class so that wal-cdi runs without
 * the (optional) MicroProfile Config API: {@link ConfigLookup#detect} loads it only after checking
 * the API is visible. Thread-safe.
 */
final class MicroProfileConfigLookup implements ConfigLookup {
  private final Config config;

  private MicroProfileConfigLookup(Config config) {
    this.config = config;
  }

  /** Empty when the API is present but no implementation is. */
  static Optional<ConfigLookup> create(ClassLoader loader) {
    try {
      return Optional.of(new MicroProfileConfigLookup(ConfigProvider.getConfig(loader)));
    } catch (RuntimeException | java.util.ServiceConfigurationError | LinkageError e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<String> get(String key) {
    return config.getOptionalValue(key, String.class);
  }

  @Override
  public Set<String> names() {
    // Asked of each source: an implementation may cache the merged names when it is built, while
    // a source such as the system properties answers with what is there now.
    Set<String> names = new TreeSet<>();
    config.getPropertyNames().forEach(names::add);
    for (ConfigSource source : config.getConfigSources()) {
      names.addAll(source.getPropertyNames());
    }
    return names;
  }
}
