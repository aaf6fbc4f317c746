package dev.noriwal.cdi;

import dev.noriwal.jmx.settings.LogSettings;
import dev.noriwal.jmx.settings.SettingProblem;
import dev.noriwal.jmx.settings.SettingSource;
import dev.noriwal.jmx.settings.Settings;
import dev.noriwal.journal.InvocationCodec;
import dev.noriwal.journal.JsonTypes;
import dev.noriwal.journal.JsonbInvocationCodec;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything checked at deployment before any log is opened, as one pure function of what discovery
 * found, the settings and the codecs: no container, no file system. Every problem is reported, not
 * only the first: bad values (010), unknown keys with the nearest known one (018), unknown codecs
 * (008), parameters the codec cannot encode (009), two logs on one directory (011), plus what
 * discovery already found (001, 003-007).
 */
final class DeploymentValidation {
  private DeploymentValidation() {}

  /**
   * The outcome.
   *
   * @param settings each log's settings, for the logs whose settings are valid
   * @param targets log and codec of each journaled method that passed
   * @param problems numbered messages; the deployment fails if there is any
   */
  record Result(
      Map<String, LogSettings> settings,
      Map<Method, JournalTarget> targets,
      List<String> problems) {}

  static Result validate(
      Discovered found, SettingSource source, Set<String> prefixes, InvocationCodecs codecs) {
    List<String> problems = new ArrayList<>(found.problems);
    Map<String, LogSettings> settings = new TreeMap<>();

    for (SettingProblem p : Settings.unknownKeys(source, found.usages.keySet(), prefixes)) {
      problems.add(Messages.unknownSetting(p.key(), p.value(), p.nearest().orElse("?")));
    }
    for (String name : found.usages.keySet()) {
      Settings.Resolution r = Settings.resolve(name, source);
      r.problems().forEach(p -> problems.add(Messages.badSetting(p.key(), p.value(), p.reason())));
      r.settings().ifPresent(s -> settings.put(name, s));
    }
    problems.addAll(sharedDirectories(settings));
    for (LogSettings s : settings.values()) {
      s.codec()
          .filter(id -> codecs.find(id).isEmpty())
          .ifPresent(
              id ->
                  problems.add(
                      Messages.badSetting(
                          Settings.key(s.name(), "codec"),
                          id,
                          "unknown codec; available here: " + codecs.ids())));
    }

    Map<Method, JournalTarget> targets = new LinkedHashMap<>();
    for (Discovered.JournaledMethod d : found.methods) {
      LogSettings s = settings.get(d.log());
      if (s == null) {
        continue; // its settings were reported above
      }
      String id = s.codec().orElse(d.codec());
      Optional<InvocationCodec> codec = codecs.find(id);
      if (codec.isEmpty()) {
        if (s.codec().isEmpty()) {
          problems.add(Messages.unknownCodec(id, d.method(), codecs.ids()));
        }
        continue;
      }
      problems.addAll(unencodable(d.method(), id, codec.get()));
      targets.put(d.method(), new JournalTarget(d.log(), codec.get()));
    }
    return new Result(settings, targets, List.copyOf(problems));
  }

  private static List<String> unencodable(Method m, String id, InvocationCodec codec) {
    List<String> out = new ArrayList<>();
    if (JsonbInvocationCodec.JSON.equals(id) && codec instanceof JsonbInvocationCodec) {
      Type[] params = m.getGenericParameterTypes();
      for (int i = 0; i < params.length; i++) {
        int index = i;
        JsonTypes.unsupportedReason(params[i])
            .ifPresent(
                reason ->
                    out.add(
                        Messages.unencodableParameter(
                            m, index, params[index].getTypeName(), reason)));
      }
    }
    return out;
  }

  private static List<String> sharedDirectories(Map<String, LogSettings> settings) {
    Map<Path, Set<String>> byDir = new LinkedHashMap<>();
    for (LogSettings s : settings.values()) {
      byDir.computeIfAbsent(s.config().directory(), d -> new TreeSet<>()).add(s.name());
    }
    List<String> out = new ArrayList<>();
    byDir.forEach(
        (dir, names) -> {
          if (names.size() > 1) {
            out.add(Messages.sharedDirectory(dir, names));
          }
        });
    return out;
  }
}
