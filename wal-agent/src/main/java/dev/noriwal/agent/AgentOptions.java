package dev.noriwal.agent;

import dev.noriwal.WalConfig;
import dev.noriwal.jmx.settings.LogSettings;
import dev.noriwal.jmx.settings.SettingProblem;
import dev.noriwal.jmx.settings.SettingSource;
import dev.noriwal.jmx.settings.Settings;
import dev.noriwal.journal.JsonbInvocationCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's argument string, parsed leniently: every malformed option is reported in {@link
 * #problems()} and skipped, so a typo never stops the application (unless {@code failFast=true}).
 * Log settings use the one vocabulary wal-cdi also reads ({@link Settings}), with the same parser.
 *
 * <pre>
 * -javaagent:wal-agent.jar=OPTION,OPTION,...
 *
 *   nori.wal.NAME.SETTING=VALUE  a setting of log NAME (directory, fsync, segment-size, recovery,
 *                                preallocate, codec: see {@link Settings}); every log named here
 *                                is opened
 *   nori.wal.base-dir=PATH       directory of logs given no directory (default ~/.nori-wal)
 *   failFast=BOOL                a bad option or a log that fails to open stops the JVM
 *                                (default false)
 *   startup=premain|lazy         lazy: start the service and open logs on the first journaled call,
 *                                not in premain (for a server that sets up JMX after agents run;
 *                                WildFly does not need it when the agent is in MODULE_OPTS)
 * </pre>
 *
 * NAME follows {@link dev.noriwal.jmx.settings.LogNames}; a value may not contain a comma. The
 * agent journals with the {@code json} codec only. Immutable.
 */
final class AgentOptions {
  static final String ORIGIN = "agent option";

  private final Map<String, LogSettings> logs;
  private final boolean failFast;
  private final boolean lazy;
  private final List<String> problems;
  private final String text;

  private AgentOptions(
      Map<String, LogSettings> logs,
      boolean failFast,
      boolean lazy,
      List<String> problems,
      String text) {
    this.logs = logs;
    this.failFast = failFast;
    this.lazy = lazy;
    this.problems = problems;
    this.text = text;
  }

  /** The logs to open, by name. */
  Map<String, WalConfig> logs() {
    Map<String, WalConfig> out = new LinkedHashMap<>();
    logs.forEach((name, s) -> out.put(name, s.config()));
    return out;
  }

  /** The settings in effect of each log, with where each came from. */
  Map<String, LogSettings> settings() {
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
    Map<String, String> settings = new LinkedHashMap<>();
    boolean failFast = false;
    boolean lazy = false;
    for (String part : text.split(",", -1)) {
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
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
          failFast = Boolean.parseBoolean(value);
        } else {
          problems.add("failFast must be true or false: " + value);
        }
      } else if (key.equals("startup")) {
        if (value.equals("lazy") || value.equals("premain")) {
          lazy = value.equals("lazy");
        } else {
          problems.add("startup must be premain or lazy: " + value);
        }
      } else if (key.startsWith(Settings.PREFIX)) {
        if (settings.put(key, value) != null) {
          problems.add("option " + key + " is given twice");
        }
      } else {
        problems.add(
            "unknown option \""
                + key
                + "\" (known: nori.wal.NAME.SETTING, nori.wal.base-dir, failFast, startup)");
      }
    }

    SettingSource source = SettingSource.of(settings, ORIGIN);
    Set<String> prefixes = Settings.contributedPrefixes(AgentOptions.class.getClassLoader());
    Set<String> names = Settings.logNames(source, prefixes);
    for (SettingProblem p : Settings.unknownKeys(source, names, prefixes, true)) {
      problems.add(p.toString());
    }
    Map<String, LogSettings> logs = new LinkedHashMap<>();
    for (String name : names) {
      Settings.Resolution r = Settings.resolve(name, source);
      r.problems().forEach(p -> problems.add(p.toString()));
      r.settings()
          .ifPresent(
              s -> {
                if (s.codec().isPresent() && !s.codec().get().equals(JsonbInvocationCodec.JSON)) {
                  problems.add(
                      "setting "
                          + Settings.key(name, "codec")
                          + "="
                          + s.codec().get()
                          + " is invalid: the agent journals with codec json only");
                } else {
                  logs.put(name, s);
                }
              });
    }
    return new AgentOptions(
        Collections.unmodifiableMap(logs), failFast, lazy, List.copyOf(problems), text);
  }
}
