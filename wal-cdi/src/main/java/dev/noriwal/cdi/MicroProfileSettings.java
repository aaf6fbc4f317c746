package dev.noriwal.cdi;

import dev.noriwal.jmx.settings.SettingSource;
import dev.noriwal.jmx.settings.Settings;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Settings from MicroProfile Config. Isolated in its own class so that wal-cdi runs without the
 * (optional) MicroProfile Config API: {@link #detect} loads it only after checking the API is
 * visible. Thread-safe.
 */
final class MicroProfileSettings implements SettingSource {
  private final Config config;

  private MicroProfileSettings(Config config) {
    this.config = config;
  }

  /**
   * MicroProfile Config of {@code loader} if both the API and an implementation are visible (it
   * reads system properties too), else system properties.
   */
  static SettingSource detect(ClassLoader loader) {
    try {
      Class.forName("org.eclipse.microprofile.config.ConfigProvider", false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return SettingSource.systemProperties();
    }
    try {
      return new MicroProfileSettings(ConfigProvider.getConfig(loader));
    } catch (RuntimeException | java.util.ServiceConfigurationError | LinkageError e) {
      return SettingSource.systemProperties(); // the API without an implementation
    }
  }

  @Override
  public Optional<String> get(String key) {
    return config.getOptionalValue(key, String.class);
  }

  @Override
  public Set<String> keys() {
    // Asked of each source too: an implementation may cache the merged names when it is built,
    // and a system property set later would then be missing.
    Set<String> names = new TreeSet<>();
    config.getPropertyNames().forEach(names::add);
    for (ConfigSource source : config.getConfigSources()) {
      names.addAll(source.getPropertyNames());
    }
    return Settings.ours(names);
  }

  @Override
  public String origin(String key) {
    try {
      ConfigValue v = config.getConfigValue(key);
      return v.getSourceName() == null
          ? "MicroProfile Config"
          : "MicroProfile Config source " + v.getSourceName();
    } catch (RuntimeException | LinkageError e) {
      return "MicroProfile Config";
    }
  }
}
