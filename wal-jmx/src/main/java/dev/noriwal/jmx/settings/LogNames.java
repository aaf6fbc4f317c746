package dev.noriwal.jmx.settings;

import java.util.regex.Pattern;

/**
 * The one rule for log names, used by {@code WalService}, the agent's options and wal-cdi alike: 1
 * to 100 characters of letters, digits, {@code .}, {@code _} or {@code -}, not starting with {@code
 * .}. Such a name is safe in a setting key, a directory name and an MBean name. Stateless.
 */
public final class LogNames {
  /** The rule in words, for messages. */
  public static final String RULE =
      "a log name must be 1-100 characters of letters, digits, '.', '_' or '-', not starting with"
          + " '.'";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

  private LogNames() {}

  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Returns {@code name} if it follows the rule.
   *
   * @throws IllegalArgumentException naming the rule and the name, if it breaks the rule
   */
  public static String requireValid(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(RULE + ": \"" + name + "\"");
    }
    return name;
  }
}
