package dev.noriwal.cdi;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the extension's discovery observers found in one deployment: where each log name is used,
 * the journaled methods, and the problems seen so far. Plain data, so that {@link
 * DeploymentValidation} can be tested without a container. Written by the container's bootstrap
 * thread only; not thread-safe.
 */
final class Discovered {

  /** A {@code @Journaled} method as declared (on itself or on its class). */
  record JournaledMethod(Method method, Class<?> beanClass, String log, String codec) {}

  /** Log name to the places that use it ({@code @Durable} injection points, journaled methods). */
  final Map<String, Set<String>> usages = new TreeMap<>();

  /** Names of logs that journaled methods write to (each gets a recovery event). */
  final Set<String> journalLogs = new TreeSet<>();

  /**
   * Log name to the first bean class that uses it (CDI Full): the class whose bean archive the
   * log's health checks join, see {@link HealthChecks}.
   */
  final Map<String, Class<?>> firstUsers = new TreeMap<>();

  final List<JournaledMethod> methods = new ArrayList<>();
  final List<String> problems = new ArrayList<>();

  void use(String log, String where) {
    usages.computeIfAbsent(log, n -> new TreeSet<>()).add(where);
  }

  void use(String log, Class<?> user, String where) {
    firstUsers.putIfAbsent(log, user);
    use(log, where);
  }

  void journaled(Method m, Class<?> beanClass, String log, String codec) {
    methods.add(new JournaledMethod(m, beanClass, log, codec));
    journalLogs.add(log);
    use(log, beanClass, "@Journaled " + beanClass.getName() + "#" + m.getName());
  }

  /**
   * Why the container cannot intercept {@code m} (private, static or final), so a journaled call
   * would run un-journaled; empty if it can. The one place this rule is written.
   */
  static Optional<String> unreachable(Method m) {
    int mod = m.getModifiers();
    if (Modifier.isPrivate(mod)) {
      return Optional.of(Messages.privateMethod(m));
    }
    if (Modifier.isStatic(mod)) {
      return Optional.of(Messages.staticMethod(m));
    }
    if (Modifier.isFinal(mod)) {
      return Optional.of(Messages.finalMethod(m));
    }
    return Optional.empty();
  }
}
