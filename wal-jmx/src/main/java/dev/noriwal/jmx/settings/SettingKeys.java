package dev.noriwal.jmx.settings;

import java.util.Set;

/**
 * Per-log setting keys a module adds to the vocabulary, found through {@link
 * java.util.ServiceLoader} ({@code META-INF/services/dev.noriwal.jmx.settings.SettingKeys}). A
 * module that reads, say, {@code nori.wal.<name>.kafka.topic} contributes the prefix {@code
 * "kafka."}; keys under it are then never reported as unknown, and the module checks their values
 * itself.
 */
public interface SettingKeys {

  /** Prefixes of the per-log settings this module reads, each ending in {@code '.'}. */
  Set<String> prefixes();
}
