package dev.noriwal.cdi;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.RecoveryMode;
import dev.noriwal.WalConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration of one named log, read from {@code nori.wal.<name>.*} keys:
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>values</th><th>default</th></tr>
 *   <tr><td>{@code nori.wal.base-dir}</td><td>directory</td><td>{@code ${user.home}/.nori-wal}
 *       </td></tr>
 *   <tr><td>{@code nori.wal.<name>.directory}</td><td>directory</td><td>{@code <base-dir>/<name>}
 *       </td></tr>
 *   <tr><td>{@code nori.wal.<name>.fsync}</td><td>{@code always}, {@code os}, {@code
 *       batch:<window>} (e.g. {@code batch:5ms})</td><td>{@code batch:5ms}</td></tr>
 *   <tr><td>{@code nori.wal.<name>.segment-size}</td><td>bytes, or a number with {@code KiB},
 *       {@code MiB} or {@code GiB}; at least 1 MiB</td><td>{@code 128MiB}</td></tr>
 *   <tr><td>{@code nori.wal.<name>.recovery}</td><td>{@code TOLERATE_TORN_TAIL}, {@code
 *       POINT_IN_TIME}, {@code SALVAGE}</td><td>{@code TOLERATE_TORN_TAIL}</td></tr>
 *   <tr><td>{@code nori.wal.<name>.codec}</td><td>{@code json}, {@code jsonb} or a registered
 *       codec id; overrides {@link Journaled#codec()}</td><td>the annotation's</td></tr>
 * </table>
 *
 * @param name the log name
 * @param config the engine configuration
 * @param codec the configured codec id, if the codec key is set
 */
record LogSettings(String name, WalConfig config, Optional<String> codec) {

  static final String PREFIX = "nori.wal.";
  static final String BASE_DIR_KEY = "nori.wal.base-dir";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB)", Pattern.CASE_INSENSITIVE);

  /** A bad value: carries the key and value so the message can name both. */
  static final class InvalidSettingException extends Exception {
    private static final long serialVersionUID = 1L;
    final String key;
    final String value;
    final String reason;

    InvalidSettingException(String key, String value, String reason) {
      super(Messages.badSetting(key, value, reason));
      this.key = key;
      this.value = value;
      this.reason = reason;
    }
  }

  static boolean isValidName(String name) {
    return NAME.matcher(name).matches();
  }

  static String key(String name, String setting) {
    return PREFIX + name + "." + setting;
  }

  /** Reads the settings of {@code name}; the first bad value found is thrown. */
  static LogSettings resolve(String name, ConfigLookup lookup) throws InvalidSettingException {
    WalConfig.Builder b = WalConfig.builder(directory(name, lookup));

    String fsyncKey = key(name, "fsync");
    Optional<String> fsync = lookup.get(fsyncKey);
    if (fsync.isPresent()) {
      try {
        b.fsyncPolicy(FsyncPolicy.parse(fsync.get()));
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(fsyncKey, fsync.get(), e.getMessage());
      }
    }

    String sizeKey = key(name, "segment-size");
    Optional<String> size = lookup.get(sizeKey);
    if (size.isPresent()) {
      b.maxSegmentSize(parseSize(sizeKey, size.get()));
    }

    String recoveryKey = key(name, "recovery");
    Optional<String> recovery = lookup.get(recoveryKey);
    if (recovery.isPresent()) {
      try {
        b.recoveryMode(RecoveryMode.valueOf(recovery.get().trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(
            recoveryKey, recovery.get(), "must be TOLERATE_TORN_TAIL, POINT_IN_TIME or SALVAGE");
      }
    }

    WalConfig config;
    try {
      config = b.build();
    } catch (IllegalArgumentException e) {
      // Only the segment size is checked by WalConfig itself beyond what is parsed above.
      throw new InvalidSettingException(sizeKey, size.orElse("(default)"), e.getMessage());
    }

    Optional<String> codec = lookup.get(key(name, "codec")).map(String::trim);
    return new LogSettings(name, config, codec);
  }

  private static Path directory(String name, ConfigLookup lookup) throws InvalidSettingException {
    String dirKey = key(name, "directory");
    Optional<String> dir = lookup.get(dirKey);
    if (dir.isPresent()) {
      return toPath(dirKey, dir.get());
    }
    Optional<String> base = lookup.get(BASE_DIR_KEY);
    Path baseDir =
        base.isPresent()
            ? toPath(BASE_DIR_KEY, base.get())
            : Path.of(System.getProperty("user.home"), ".nori-wal");
    return baseDir.resolve(name).toAbsolutePath().normalize();
  }

  private static Path toPath(String key, String value) throws InvalidSettingException {
    if (value.isBlank()) {
      throw new InvalidSettingException(key, value, "must not be blank");
    }
    try {
      return Path.of(value.trim()).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new InvalidSettingException(key, value, e.getMessage());
    }
  }

  static long parseSize(String key, String value) throws InvalidSettingException {
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) {
      throw new InvalidSettingException(
          key, value, "must be a number of bytes, optionally with KiB, MiB or GiB (e.g. 64MiB)");
    }
    long shift =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "kib" -> 10;
          case "mib" -> 20;
          case "gib" -> 30;
          default -> 0;
        };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new InvalidSettingException(key, value, "is too large");
    }
  }
}
