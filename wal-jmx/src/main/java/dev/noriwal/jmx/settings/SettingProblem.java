package dev.noriwal.jmx.settings;

import java.util.Optional;

/**
 * One bad or unknown setting.
 *
 * @param key the full key, e.g. {@code nori.wal.orders.fsync}
 * @param value the value as given
 * @param reason what is wrong with it
 * @param nearest for an unknown key, the known key it is most likely a typo of
 */
public record SettingProblem(String key, String value, String reason, Optional<String> nearest) {

  static SettingProblem bad(String key, String value, String reason) {
    return new SettingProblem(key, value, reason, Optional.empty());
  }

  /** True if the key itself is unknown, false if a known key has a bad value. */
  public boolean unknownKey() {
    return nearest.isPresent();
  }

  @Override
  public String toString() {
    return nearest.isPresent()
        ? "unknown setting " + key + "=" + value + "; did you mean " + nearest.get() + "?"
        : "setting " + key + "=" + value + " is invalid: " + reason;
  }
}
