package dev.noriwal.cdi;

import dev.noriwal.Wal;
import dev.noriwal.jmx.settings.LogNames;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.BeanInfo;
import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.Discovery;
import jakarta.enterprise.inject.build.compatible.spi.InjectionPointInfo;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.Registration;
import jakarta.enterprise.inject.build.compatible.spi.ScannedClasses;
import jakarta.enterprise.inject.build.compatible.spi.SkipIfPortableExtensionPresent;
import jakarta.enterprise.inject.build.compatible.spi.Synthesis;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.build.compatible.spi.Validation;
import jakarta.enterprise.lang.model.AnnotationInfo;
import jakarta.enterprise.lang.model.declarations.ClassInfo;
import jakarta.enterprise.lang.model.declarations.MethodInfo;
import jakarta.enterprise.lang.model.declarations.ParameterInfo;
import jakarta.enterprise.lang.model.types.Type;
import jakarta.inject.Singleton;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The CDI Lite twin of {@link WalExtension} (Quarkus and other build-time containers, which do not
 * run portable extensions; under CDI Full it is skipped because the portable extension is there).
 * At build time it adds the beans of this package, checks the {@code @Journaled} methods of every
 * class bean and every {@code @Durable} injection point with the same rules and numbered messages
 * (a problem fails the build), and hands what it found to the {@link WalDeployment} synthetic bean;
 * at start-up {@link LiteLifecycle} validates the settings, opens the logs and fires the recovery
 * events.
 */
@SkipIfPortableExtensionPresent(WalExtension.class)
public class LiteExtension implements BuildCompatibleExtension {
  private static final String SEP = "\t";

  private final List<String> problems = new ArrayList<>();

  /** {@code log TAB where} per {@code @Durable} injection point. */
  private final List<String> uses = new ArrayList<>();

  /** {@code class TAB method TAB erased parameter types (comma) TAB log TAB codec}. */
  private final List<String> methods = new ArrayList<>();

  @Discovery
  public void beans(ScannedClasses scan) {
    for (Class<?> c :
        List.of(
            WalProducer.class,
            JournalInterceptor.class,
            JournalReplay.class,
            LiteLifecycle.class)) {
      scan.add(c.getName());
    }
  }

  /** Checks the {@code @Journaled} methods of every class bean (the interceptor itself aside). */
  private void journaled(ClassInfo c) {
    if (c.hasAnnotation(jakarta.interceptor.Interceptor.class)
        || (!c.hasAnnotation(Journaled.class)
            && c.methods().stream().noneMatch(m -> m.hasAnnotation(Journaled.class)))) {
      return;
    }
    if (Modifier.isFinal(c.modifiers())) {
      problems.add(Messages.finalClass(c.name()));
      return;
    }
    AnnotationInfo onClass = c.annotation(Journaled.class);
    for (MethodInfo m : c.methods()) {
      AnnotationInfo onMethod = m.annotation(Journaled.class);
      int mod = m.modifiers();
      if (onMethod == null
          && (onClass == null
              || m.isConstructor()
              || Modifier.isPrivate(mod)
              || Modifier.isStatic(mod))) {
        continue;
      }
      String where = c.name() + "#" + m.name();
      if (Modifier.isPrivate(mod)) {
        problems.add(Messages.privateMethod(where));
      } else if (Modifier.isStatic(mod)) {
        problems.add(Messages.staticMethod(where));
      } else if (Modifier.isFinal(mod)) {
        problems.add(Messages.finalMethod(where));
      } else {
        AnnotationInfo binding = onMethod != null ? onMethod : onClass;
        String log = binding.value().asString();
        if (!LogNames.isValid(log)) {
          problems.add(Messages.invalidJournaledName(log, where));
          continue;
        }
        String codec = binding.hasMember("codec") ? binding.member("codec").asString() : "json";
        List<String> params = new ArrayList<>();
        for (ParameterInfo p : m.parameters()) {
          params.add(erasure(p.type()));
        }
        methods.add(String.join(SEP, c.name(), m.name(), String.join(",", params), log, codec));
      }
    }
  }

  @Registration(types = Object.class)
  public void bean(BeanInfo bean) {
    if (bean.isClassBean() && !bean.isInterceptor()) {
      journaled(bean.declaringClass());
    }
    for (InjectionPointInfo ip : bean.injectionPoints()) {
      for (AnnotationInfo q : ip.qualifiers()) {
        if (!q.name().equals(Durable.class.getName())) {
          continue;
        }
        String where = ip.declaration().toString();
        if (!erasure(ip.type()).equals(Wal.class.getName())) {
          problems.add(Messages.durableNotWal(ip.type(), where));
          continue;
        }
        String name = q.value().asString();
        if (!LogNames.isValid(name)) {
          problems.add(Messages.invalidDurableName(name, where));
        } else {
          uses.add(name + SEP + "@Durable at " + where);
        }
      }
    }
  }

  @Validation
  public void report(jakarta.enterprise.inject.build.compatible.spi.Messages messages) {
    problems.forEach(messages::error);
  }

  @Synthesis
  public void deployment(SyntheticComponents components) {
    components
        .addBean(WalDeployment.class)
        .type(WalDeployment.class)
        .scope(Singleton.class)
        .withParam("uses", uses.toArray(String[]::new))
        .withParam("methods", methods.toArray(String[]::new))
        .createWith(Creator.class);
    if (HealthChecks.available(Thread.currentThread().getContextClassLoader())) {
      java.util.Set<String> logs = new java.util.TreeSet<>();
      uses.forEach(u -> logs.add(u.split(SEP, -1)[0]));
      methods.forEach(m -> logs.add(m.split(SEP, -1)[3]));
      HealthChecks.register(components, logs);
    }
  }

  /** Rebuilds at run time, with the application's classes, what the build saw. */
  public static final class Creator implements SyntheticBeanCreator<WalDeployment> {
    @Override
    public WalDeployment create(Instance<Object> lookup, Parameters params) {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      WalDeployment d = new WalDeployment(loader);
      for (String use : params.get("uses", String[].class)) {
        String[] f = use.split(SEP, -1);
        d.discovered.use(f[0], f[1]);
      }
      for (String entry : params.get("methods", String[].class)) {
        String[] f = entry.split(SEP, -1);
        try {
          Class<?> beanClass = Class.forName(f[0], false, loader);
          Method m = find(beanClass, f[1], f[2]);
          d.discovered.journaled(m, beanClass, f[3], f[4]);
          d.targets.journaledBeanClass(beanClass);
        } catch (ReflectiveOperationException e) {
          d.discovered.problems.add(Messages.missingAtRunTime(f[0] + "#" + f[1], e));
        }
      }
      return d;
    }

    private static Method find(Class<?> c, String name, String params)
        throws NoSuchMethodException {
      for (Method m : c.getDeclaredMethods()) {
        if (!m.getName().equals(name)) {
          continue;
        }
        List<String> types = new ArrayList<>();
        for (Class<?> p : m.getParameterTypes()) {
          types.add(p.getTypeName());
        }
        if (String.join(",", types).equals(params)) {
          return m;
        }
      }
      throw new NoSuchMethodException(c.getName() + "." + name + "(" + params + ")");
    }
  }

  /** The erased type name as {@link Class#getTypeName()} spells it. */
  static String erasure(Type t) {
    return switch (t.kind()) {
      case ARRAY -> erasure(t.asArray().componentType()) + "[]";
      case PARAMETERIZED_TYPE -> t.asParameterizedType().declaration().name();
      case TYPE_VARIABLE -> {
        List<Type> bounds = t.asTypeVariable().bounds();
        yield bounds.isEmpty() ? Object.class.getName() : erasure(bounds.get(0));
      }
      case CLASS -> t.asClass().declaration().name();
      case PRIMITIVE -> t.asPrimitive().name();
      default -> Object.class.getName(); // void, wildcards: not a parameter's type
    };
  }
}
