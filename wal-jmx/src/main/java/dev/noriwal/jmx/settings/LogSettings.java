package dev.noriwal.jmx.settings;

import dev.noriwal.WalConfig;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of one named log as they are in effect, with where each came from.
 *
 * @param name the log name
 * @param config the engine configuration built from them
 * @param codec the {@code codec} setting, if one is given (the journal codec; wal-cdi reads it)
 * @param effective each setting's value in effect and its origin ("default" when none was given),
 *     by setting name ({@code directory}, {@code fsync}, ...), in vocabulary order
 */
public record LogSettings(
    String name, WalConfig config, Optional<String> codec, Map<String, Effective> effective) {

  /**
   * One setting in effect.
   *
   * @param value the value, as given or the default
   * @param origin where it came from: {@code "default"}, or the key and its source
   */
  public record Effective(String value, String origin) {}

  /**
   * One line for the log at startup, e.g. {@code log "orders": directory=/var/wal/orders
   * (nori.wal.orders.directory, system property), fsync=batch:5ms (default), ...}.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder("log \"").append(name).append("\":");
    String sep = " ";
    for (Map.Entry<String, Effective> e : effective.entrySet()) {
      sb.append(sep)
          .append(e.getKey())
          .append('=')
          .append(e.getValue().value())
          .append(" (")
          .append(e.getValue().origin())
          .append(')');
      sep = ", ";
    }
    return sb.toString();
  }
}
