package dev.noriwal.jmx.settings;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.RecoveryMode;
import dev.noriwal.WalConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one vocabulary of log settings and its parser, fed by the agent's options and by MicroProfile
 * Config (or system properties) alike.
 *
 * <pre>
 * key                        values                                       default
 * nori.wal.base-dir          directory of logs without a directory        ${user.home}/.nori-wal
 * nori.wal.NAME.directory    the log's directory                          BASE-DIR/NAME
 * nori.wal.NAME.fsync        always | os | batch:5ms                      batch:5ms
 * nori.wal.NAME.segment-size bytes, or N KiB | MiB | GiB, at least 1 MiB  128MiB
 * nori.wal.NAME.recovery     TOLERATE_TORN_TAIL | POINT_IN_TIME | SALVAGE TOLERATE_TORN_TAIL
 * nori.wal.NAME.preallocate  true | false: zero-fill new segments         true
 * nori.wal.NAME.codec        journal codec id (wal-cdi; the agent: json)  the annotation's
 * nori.wal.NAME.PREFIX...        keys under a prefix a module contributes ({@link SettingKeys})
 * </pre>
 *
 * NAME follows {@link LogNames}. Every bad value of a log is reported, not only the first, and a
 * key outside the vocabulary is reported with the known key nearest to it. Stateless.
 */
public final class Settings {
  public static final String PREFIX = "nori.wal.";
  public static final String BASE_DIR = "nori.wal.base-dir";

  /** The per-log settings, in the order they are described. */
  public static final List<String> LOG_SETTINGS =
      List.of("directory", "fsync", "segment-size", "recovery", "preallocate", "codec");

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB)", Pattern.CASE_INSENSITIVE);

  private Settings() {}

  /**
   * The settings of one log, or every problem with them.
   *
   * @param settings present when {@code problems} is empty
   * @param problems every bad value of this log
   */
  public record Resolution(Optional<LogSettings> settings, List<SettingProblem> problems) {}

  public static String key(String name, String setting) {
    return PREFIX + name + "." + setting;
  }

  /** Reads the settings of log {@code name} from {@code source}, reporting every bad value. */
  public static Resolution resolve(String name, SettingSource source) {
    LogNames.requireValid(name);
    List<SettingProblem> problems = new ArrayList<>();
    Map<String, LogSettings.Effective> effective = new LinkedHashMap<>();

    Path directory = directory(name, source, problems, effective);
    WalConfig.Builder b = WalConfig.builder(directory == null ? Path.of(name) : directory);

    value(name, "fsync", source, problems, effective, WalConfig.DEFAULT_FSYNC_POLICY.toString())
        .ifPresent(v -> b.fsyncPolicy(FsyncPolicy.parse(v)));
    value(name, "segment-size", source, problems, effective, "128MiB")
        .ifPresent(v -> b.maxSegmentSize(size(v)));
    value(name, "recovery", source, problems, effective, WalConfig.DEFAULT_RECOVERY_MODE.name())
        .ifPresent(v -> b.recoveryMode(recovery(v)));
    value(name, "preallocate", source, problems, effective, "" + WalConfig.DEFAULT_PREALLOCATE)
        .ifPresent(v -> b.preallocate(bool(v)));
    Optional<String> codec = source.get(key(name, "codec")).map(String::trim);
    codec.ifPresent(c -> effective.put("codec", given(name, "codec", c, source)));

    if (!problems.isEmpty()) {
      return new Resolution(Optional.empty(), List.copyOf(problems));
    }
    return new Resolution(
        Optional.of(
            new LogSettings(name, b.build(), codec, Collections.unmodifiableMap(effective))),
        List.of());
  }

  /**
   * Keys under {@link #PREFIX} in {@code source} that are outside the vocabulary, each with the
   * nearest known key. A key for a log not in {@code logNames} is someone else's (another
   * deployment's) unless its name is within two edits of one of {@code logNames}: then it is taken
   * for a typo.
   *
   * @param prefixes contributed per-log prefixes ({@link #contributedPrefixes})
   */
  public static List<SettingProblem> unknownKeys(
      SettingSource source, Set<String> logNames, Set<String> prefixes) {
    return unknownKeys(source, logNames, prefixes, false);
  }

  /**
   * As {@link #unknownKeys(SettingSource, Set, Set)}; with {@code everyKeyIsOurs} (the agent's own
   * option string) every key outside the vocabulary is reported, however far from a known one.
   */
  public static List<SettingProblem> unknownKeys(
      SettingSource source, Set<String> logNames, Set<String> prefixes, boolean everyKeyIsOurs) {
    List<SettingProblem> out = new ArrayList<>();
    for (String key : new TreeSet<>(source.keys())) {
      if (key.equals(BASE_DIR)) {
        continue;
      }
      String rest = key.substring(PREFIX.length());
      String name = logOf(rest, prefixes);
      Optional<String> given = source.get(key);
      if (given.isEmpty()) {
        continue; // listed but without a value (a cleared property some sources still list)
      }
      String value = given.get();
      if (name != null && logNames.contains(name)) {
        continue; // known setting of a known log
      }
      if (name != null && LogNames.isValid(name)) {
        String near = nearest(name, logNames, 2);
        if (near == null && !everyKeyIsOurs) {
          continue; // another deployment's log
        }
        if (near != null) {
          out.add(unknown(key, value, key(near, rest.substring(name.length() + 1))));
          continue;
        }
      }
      // Not NAME.SETTING at all: compare with every key the known logs could have.
      List<String> candidates = new ArrayList<>(List.of(BASE_DIR));
      for (String log : logNames) {
        for (String s : LOG_SETTINGS) {
          candidates.add(key(log, s));
        }
      }
      String near = nearest(key, candidates, Integer.MAX_VALUE);
      boolean forKnownLog = logNames.stream().anyMatch(log -> rest.startsWith(log + "."));
      if (everyKeyIsOurs
          || forKnownLog
          || !rest.contains(".")
          || (near != null && distance(key, near) <= 3)) {
        out.add(unknown(key, value, near));
      }
    }
    return out;
  }

  /** The per-log prefixes that modules visible to {@code loader} contribute. */
  public static Set<String> contributedPrefixes(ClassLoader loader) {
    Set<String> out = new TreeSet<>();
    try {
      for (SettingKeys k : ServiceLoader.load(SettingKeys.class, loader)) {
        out.addAll(k.prefixes());
      }
    } catch (ServiceConfigurationError e) {
      // A broken contribution must not hide the log's own settings; its keys then show as unknown.
    }
    return out;
  }

  /** The log names that keys of {@code source} mention (for the agent, which has no other list). */
  public static Set<String> logNames(SettingSource source, Set<String> prefixes) {
    Set<String> out = new TreeSet<>();
    for (String key : source.keys()) {
      if (!key.equals(BASE_DIR)) {
        String name = logOf(key.substring(PREFIX.length()), prefixes);
        if (name != null && LogNames.isValid(name)) {
          out.add(name);
        }
      }
    }
    return out;
  }

  /** The keys among {@code keys} that belong to this vocabulary (start with {@link #PREFIX}). */
  public static Set<String> ours(Iterable<String> keys) {
    Set<String> out = new TreeSet<>();
    for (String k : keys) {
      if (k.startsWith(PREFIX)) {
        out.add(k);
      }
    }
    return out;
  }

  /** Parses {@code 1048576}, {@code 64MiB}, {@code 512 KiB}, {@code 1GiB}. */
  public static long size(String value) {
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "must be a number of bytes, optionally with KiB, MiB or GiB (e.g. 64MiB)");
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
      throw new IllegalArgumentException("is too large", e);
    }
  }

  // NAME.SETTING with SETTING known, or NAME.PREFIX... with PREFIX contributed; else null.
  private static @Nullable String logOf(String rest, Set<String> prefixes) {
    for (String s : LOG_SETTINGS) {
      if (rest.endsWith("." + s) && rest.length() > s.length() + 1) {
        return rest.substring(0, rest.length() - s.length() - 1);
      }
    }
    for (String p : prefixes) {
      int i = rest.indexOf("." + p);
      if (i > 0) {
        return rest.substring(0, i);
      }
    }
    return null;
  }

  private static SettingProblem unknown(String key, String value, @Nullable String nearest) {
    return new SettingProblem(
        key, value, "unknown key", Optional.of(nearest == null ? BASE_DIR : nearest));
  }

  private static @Nullable Path directory(
      String name,
      SettingSource source,
      List<SettingProblem> problems,
      Map<String, LogSettings.Effective> effective) {
    String dirKey = key(name, "directory");
    Optional<String> dir = source.get(dirKey);
    if (dir.isPresent()) {
      Path p = path(dirKey, dir.get(), problems);
      effective.put("directory", given(name, "directory", String.valueOf(p), source));
      return p;
    }
    Optional<String> base = source.get(BASE_DIR);
    Path baseDir =
        base.isPresent()
            ? path(BASE_DIR, base.get(), problems)
            : Path.of(System.getProperty("user.home"), ".nori-wal");
    if (baseDir == null) {
      return null;
    }
    Path p = baseDir.resolve(name).toAbsolutePath().normalize();
    String origin =
        base.isPresent()
            ? BASE_DIR + "/" + name + ", " + source.origin(BASE_DIR)
            : "default, ${user.home}/.nori-wal/" + name;
    effective.put("directory", new LogSettings.Effective(p.toString(), origin));
    return p;
  }

  private static @Nullable Path path(String key, String value, List<SettingProblem> problems) {
    if (value.isBlank()) {
      problems.add(SettingProblem.bad(key, value, "must not be blank"));
      return null;
    }
    try {
      return Path.of(value.trim()).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      problems.add(SettingProblem.bad(key, value, String.valueOf(e.getMessage())));
      return null;
    }
  }

  /**
   * The value of one setting if given and valid (checked by building a configuration with only it,
   * so the engine's own rules apply); records a problem if it is invalid.
   */
  private static Optional<String> value(
      String name,
      String setting,
      SettingSource source,
      List<SettingProblem> problems,
      Map<String, LogSettings.Effective> effective,
      String defaultValue) {
    String key = key(name, setting);
    Optional<String> v = source.get(key).map(String::trim);
    if (v.isEmpty()) {
      effective.put(setting, new LogSettings.Effective(defaultValue, "default"));
      return Optional.empty();
    }
    try {
      WalConfig.Builder probe = WalConfig.builder(Path.of("."));
      switch (setting) {
        case "fsync" -> probe.fsyncPolicy(FsyncPolicy.parse(v.get()));
        case "segment-size" -> probe.maxSegmentSize(size(v.get()));
        case "recovery" -> probe.recoveryMode(recovery(v.get()));
        case "preallocate" -> probe.preallocate(bool(v.get()));
        default -> throw new AssertionError(setting);
      }
      probe.build();
    } catch (IllegalArgumentException e) {
      problems.add(
          SettingProblem.bad(key, source.get(key).orElse(""), String.valueOf(e.getMessage())));
      return Optional.empty();
    }
    effective.put(setting, given(name, setting, v.get(), source));
    return v;
  }

  private static LogSettings.Effective given(
      String name, String setting, String value, SettingSource source) {
    String key = key(name, setting);
    return new LogSettings.Effective(value, key + ", " + source.origin(key));
  }

  private static RecoveryMode recovery(String v) {
    try {
      return RecoveryMode.valueOf(v.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be TOLERATE_TORN_TAIL, POINT_IN_TIME or SALVAGE", e);
    }
  }

  private static boolean bool(String v) {
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException("must be true or false");
  }

  private static @Nullable String nearest(
      String word, Iterable<String> candidates, int maxDistance) {
    @Nullable String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word, c);
      if (d < bestDistance && d <= maxDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best;
  }

  // Levenshtein distance, two rows.
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
