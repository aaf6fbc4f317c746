package dev.noriwal.cdi;

import dev.noriwal.journal.InvocationCodec;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The interceptor's lookup at run time: which log and codec a method journals to, and which bean
 * class stands behind a (possibly container-generated) target class. Filled at deployment, then
 * read on every call. Thread-safe.
 */
final class InterceptorTargets {
  private final Set<Class<?>> journaledBeanClasses = ConcurrentHashMap.newKeySet();
  private final Map<Method, JournalTarget> targets = new ConcurrentHashMap<>();
  private final Map<Class<?>, Class<?>> beanClassOfTarget = new ConcurrentHashMap<>();

  void journaledBeanClass(Class<?> c) {
    journaledBeanClasses.add(c);
  }

  void putAll(Map<Method, JournalTarget> validated) {
    targets.putAll(validated);
  }

  /**
   * Log and codec for an intercepted method; a method not seen at discovery (e.g. on a bean added
   * by another extension) is looked up from its annotation.
   */
  JournalTarget target(
      Method m,
      Class<?> targetClass,
      Function<String, java.util.Optional<String>> configuredCodec,
      Supplier<InvocationCodecs> codecs) {
    JournalTarget t = targets.get(m);
    if (t != null) {
      return t;
    }
    Journaled j = m.getAnnotation(Journaled.class);
    if (j == null) {
      j = beanClass(targetClass, m).getAnnotation(Journaled.class);
    }
    if (j == null) {
      throw new IllegalStateException(Messages.bindingNotFound(m));
    }
    String id = configuredCodec.apply(j.value()).orElse(j.codec());
    InvocationCodecs c = codecs.get();
    InvocationCodec codec =
        c.find(id)
            .orElseThrow(() -> new IllegalStateException(Messages.unknownCodec(id, m, c.ids())));
    t = new JournalTarget(j.value(), codec);
    targets.put(m, t);
    return t;
  }

  /**
   * The bean class behind an instance of {@code targetClass}, which may be a container-generated
   * subclass: the nearest class up its hierarchy that declared journaled methods.
   */
  Class<?> beanClass(Class<?> targetClass, Method m) {
    return beanClassOfTarget.computeIfAbsent(
        targetClass,
        c -> {
          for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            if (journaledBeanClasses.contains(k)) {
              return k;
            }
          }
          for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            if (!k.isSynthetic() && !k.getName().contains("$$")) {
              return k;
            }
          }
          return m.getDeclaringClass();
        });
  }
}
