package dev.noriwal.cdi;

import dev.noriwal.jmx.settings.SettingSource;
import dev.noriwal.jmx.settings.Settings;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;

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
    return Settings.ours(config.getPropertyNames());
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
