package dev.noriwal.agent;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.RecoveryMode;
import dev.noriwal.WalConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's argument string, parsed leniently: every malformed option is reported in {@link
 * #problems()} and skipped, so a typo never stops the application (unless {@code failFast=true}).
 *
 * <pre>
 * -javaagent:wal-agent.jar=OPTION,OPTION,...
 *
 *   log.NAME.dir=PATH            open log NAME in PATH (required per log)
 *   log.NAME.fsync=POLICY        always | os | batch:5ms (default: the engine's, batch:5ms)
 *   log.NAME.segmentSize=SIZE    bytes, or with a unit: 64MiB, 512KiB, 1GiB (at least 1MiB)
 *   log.NAME.recovery=MODE       TOLERATE_TORN_TAIL (default) | POINT_IN_TIME | SALVAGE
 *   log.NAME.preallocate=BOOL    zero-fill new segments (default true)
 *   failFast=BOOL                a bad option or a log that fails to open stops the JVM (default false)
 *   startup=premain|lazy         lazy: start the service and open logs on the first journaled call,
 *                                not in premain (for servers that set up JMX and logging after
 *                                agents run, such as WildFly)
 * </pre>
 *
 * NAME is letters, digits, {@code . _ -}; PATH may not contain a comma. Immutable.
 */
final class AgentOptions {
  private final Map<String, WalConfig> logs;
  private final boolean failFast;
  private final boolean lazy;
  private final List<String> problems;
  private final String text;

  private AgentOptions(
      Map<String, WalConfig> logs, boolean failFast, boolean lazy, List<String> problems, String text) {
    this.logs = logs;
    this.failFast = failFast;
    this.lazy = lazy;
    this.problems = problems;
    this.text = text;
  }

  Map<String, WalConfig> logs() {
    return logs;
  }

  boolean failFast() {
    return failFast;
  }

  boolean lazy() {
    return lazy;
  }

  List<String> problems() {
    return problems;
  }

  String text() {
    return text;
  }

  static AgentOptions parse(String args) {
    String text = args == null ? "" : args.trim();
    List<String> problems = new ArrayList<>();
    Map<String, Map<String, String>> perLog = new LinkedHashMap<>();
    boolean failFast = false;
    boolean lazy = false;
    for (String part : text.split(",")) {
      String opt = part.trim();
      if (opt.isEmpty()) {
        continue;
      }
      int eq = opt.indexOf('=');
      if (eq <= 0) {
        problems.add("option \"" + opt + "\" is not KEY=VALUE");
        continue;
      }
      String key = opt.substring(0, eq).trim();
      String value = opt.substring(eq + 1).trim();
      if (key.equals("failFast")) {
        Boolean b = bool(value);
        if (b == null) {
          problems.add("failFast must be true or false: " + value);
        } else {
          failFast = b;
        }
      } else if (key.equals("startup")) {
        if (value.equals("lazy") || value.equals("premain")) {
          lazy = value.equals("lazy");
        } else {
          problems.add("startup must be premain or lazy: " + value);
        }
      } else if (key.startsWith("log.") && key.lastIndexOf('.') > 4) {
        int dot = key.lastIndexOf('.');
        String name = key.substring(4, dot);
        String setting = key.substring(dot + 1);
        if (!name.matches("[A-Za-z0-9._-]+")) {
          problems.add("log name must be letters, digits, '.', '_' or '-': " + name);
          continue;
        }
        if (!List.of("dir", "fsync", "segmentSize", "recovery", "preallocate").contains(setting)) {
          problems.add("unknown log setting \"" + setting + "\" in " + opt
              + " (known: dir, fsync, segmentSize, recovery, preallocate)");
          continue;
        }
        perLog.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(setting, value);
      } else {
        problems.add("unknown option \"" + key + "\" (known: log.NAME.SETTING, failFast, startup)");
      }
    }
    Map<String, WalConfig> logs = new LinkedHashMap<>();
    perLog.forEach((name, settings) -> {
      try {
        logs.put(name, config(name, settings));
      } catch (RuntimeException e) {
        problems.add("log " + name + ": " + e.getMessage());
      }
    });
    return new AgentOptions(Map.copyOf(logs), failFast, lazy, List.copyOf(problems), text);
  }

  private static WalConfig config(String name, Map<String, String> s) {
    String dir = s.get("dir");
    if (dir == null || dir.isEmpty()) {
      throw new IllegalArgumentException("log." + name + ".dir is missing");
    }
    WalConfig.Builder b = WalConfig.builder(Path.of(dir));
    if (s.containsKey("fsync")) {
      b.fsyncPolicy(FsyncPolicy.parse(s.get("fsync")));
    }
    if (s.containsKey("segmentSize")) {
      b.maxSegmentSize(size(s.get("segmentSize")));
    }
    if (s.containsKey("recovery")) {
      b.recoveryMode(RecoveryMode.valueOf(s.get("recovery").toUpperCase(Locale.ROOT)));
    }
    if (s.containsKey("preallocate")) {
      Boolean p = bool(s.get("preallocate"));
      if (p == null) {
        throw new IllegalArgumentException("preallocate must be true or false: " + s.get("preallocate"));
      }
      b.preallocate(p);
    }
    return b.build();
  }

  /** Parses {@code 1048576}, {@code 64MiB}, {@code 512KiB}, {@code 1GiB} (also KB/MB/GB, K/M/G). */
  static long size(String text) {
    String t = text.trim();
    long unit = 1;
    String upper = t.toUpperCase(Locale.ROOT);
    for (String[] u : new String[][] {
        {"GIB", "1073741824"}, {"MIB", "1048576"}, {"KIB", "1024"},
        {"GB", "1073741824"}, {"MB", "1048576"}, {"KB", "1024"},
        {"G", "1073741824"}, {"M", "1048576"}, {"K", "1024"}, {"B", "1"}}) {
      if (upper.endsWith(u[0])) {
        unit = Long.parseLong(u[1]);
        t = t.substring(0, t.length() - u[0].length()).trim();
        break;
      }
    }
    try {
      return Math.multiplyExact(Long.parseLong(t), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("segmentSize must be bytes or N{KiB,MiB,GiB}: " + text);
    }
  }

  private static Boolean bool(String v) {
    return v.equalsIgnoreCase("true") ? Boolean.TRUE : v.equalsIgnoreCase("false") ? Boolean.FALSE : null;
  }
}
