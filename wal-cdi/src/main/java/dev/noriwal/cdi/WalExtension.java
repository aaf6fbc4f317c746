package dev.noriwal.cdi;

import dev.noriwal.Wal;
import dev.noriwal.jmx.settings.LogNames;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.enterprise.inject.spi.ProcessSyntheticAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.enterprise.inject.spi.configurator.AnnotatedTypeConfigurator;
import jakarta.inject.Singleton;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The portable extension behind {@link Durable @Durable} and {@link Journaled @Journaled}: the
 * container's observers, each handing its work to the class that does it.
 *
 * <ul>
 *   <li><b>Discovery</b>: adds the producer, the interceptor and {@link JournalReplay} as beans
 *       (the wal-cdi jar need not be a bean archive) and records in {@link Discovered} every log
 *       name a {@code @Durable} injection point or a {@code @Journaled} method uses;
 *       {@code @Journaled} where the interceptor cannot reach is stripped and reported.
 *   <li><b>Validation</b> ({@link AfterDeploymentValidation}): {@link DeploymentValidation}, a pure
 *       function, checks settings, keys, codecs and directories; then {@link DeploymentLogs} opens
 *       every log and one {@link JournalRecovery} per journal is fired, before the application
 *       takes traffic. Unfinished calls that no observer receives are logged as a warning.
 *   <li><b>Shutdown</b> ({@link BeforeShutdown}): the logs this deployment opened are forced and
 *       closed, which releases their directory locks and unregisters their MBeans.
 * </ul>
 *
 * <p>State lives in this instance, never in statics, because every deployment of an application
 * server gets its own instance. Thread-safe after deployment.
 *
 * <p>CDI Full (portable extension). Its CDI Lite twin is {@link LiteExtension}, which containers
 * that run build compatible extensions instead (Quarkus) use; Weld skips the twin because this
 * class is present. Both fill one {@link WalDeployment}.
 */
public class WalExtension implements Extension {

  private volatile WalDeployment deployment = new WalDeployment(null);

  // ---- discovery ----

  void beforeBeanDiscovery(@Observes BeforeBeanDiscovery bbd, BeanManager bm) {
    deployment = new WalDeployment(Thread.currentThread().getContextClassLoader());
    for (Class<?> c : List.of(WalProducer.class, JournalInterceptor.class, JournalReplay.class)) {
      bbd.addAnnotatedType(
          bm.createAnnotatedType(c), WalExtension.class.getName() + "#" + c.getName());
    }
  }

  // If the wal-cdi jar is also scanned as a bean archive, keep only the types added above.
  void vetoScannedProducer(@Observes ProcessAnnotatedType<WalProducer> pat) {
    vetoIfScanned(pat);
  }

  void vetoScannedInterceptor(@Observes ProcessAnnotatedType<JournalInterceptor> pat) {
    vetoIfScanned(pat);
  }

  void vetoScannedReplay(@Observes ProcessAnnotatedType<JournalReplay> pat) {
    vetoIfScanned(pat);
  }

  // CDI Lite's start-up bean; here the observers below do its work.
  void vetoLiteLifecycle(@Observes ProcessAnnotatedType<LiteLifecycle> pat) {
    pat.veto();
  }

  /** The beans of this package inject the deployment. */
  void afterBeanDiscovery(@Observes AfterBeanDiscovery abd) {
    WalDeployment d = deployment;
    abd.addBean()
        .types(WalDeployment.class, Object.class)
        .scope(Singleton.class)
        .createWith(c -> d);
    if (HealthChecks.available(d.classLoader())) {
      HealthChecks.register(abd, d.discovered.firstUsers, d);
    }
  }

  private static void vetoIfScanned(ProcessAnnotatedType<?> pat) {
    if (!(pat instanceof ProcessSyntheticAnnotatedType)) {
      pat.veto();
    }
  }

  void injectionPoint(@Observes ProcessInjectionPoint<?, ?> pip) {
    InjectionPoint ip = pip.getInjectionPoint();
    Durable durable = durable(ip);
    if (durable == null) {
      return;
    }
    if (!Wal.class.equals(ip.getType())) {
      // Weld would otherwise report an unsatisfied dependency without saying why.
      pip.addDefinitionError(
          new DefinitionException(Messages.durableNotWal(ip.getType(), where(ip))));
      return;
    }
    String name = durable.value();
    if (!LogNames.isValid(name)) {
      deployment.discovered.problems.add(Messages.invalidDurableName(name, where(ip)));
      return;
    }
    Class<?> user =
        ip.getBean() != null ? ip.getBean().getBeanClass() : ip.getMember().getDeclaringClass();
    deployment.discovered.use(name, user, "@Durable at " + where(ip));
  }

  /**
   * Rejects {@code @Journaled} where the interceptor cannot reach, and strips it there: otherwise
   * Weld's own validation fails first (WELD-001503/1504 for final classes and methods) without our
   * numbered message, or silently leaves private and static methods un-journaled.
   */
  <T> void unreachableJournaled(
      @Observes @WithAnnotations(Journaled.class) ProcessAnnotatedType<T> pat) {
    AnnotatedType<T> type = pat.getAnnotatedType();
    Class<T> c = type.getJavaClass();
    if (type.isAnnotationPresent(jakarta.interceptor.Interceptor.class)) {
      return;
    }
    if (Modifier.isFinal(c.getModifiers())) {
      deployment.discovered.problems.add(Messages.finalClass(c));
      AnnotatedTypeConfigurator<T> cfg = pat.configureAnnotatedType();
      cfg.remove(Journaled.class::isInstance);
      cfg.methods().forEach(m -> m.remove(Journaled.class::isInstance));
      return;
    }
    List<Method> unreachable = new ArrayList<>();
    for (AnnotatedMethod<? super T> am : type.getMethods()) {
      if (am.isAnnotationPresent(Journaled.class)) {
        Optional<String> why = Discovered.unreachable(am.getJavaMember());
        why.ifPresent(deployment.discovered.problems::add);
        why.ifPresent(w -> unreachable.add(am.getJavaMember()));
      }
    }
    if (!unreachable.isEmpty()) {
      pat.configureAnnotatedType()
          .filterMethods(am -> unreachable.contains(am.getJavaMember()))
          .forEach(am -> am.remove(Journaled.class::isInstance));
    }
  }

  <T> void managedBean(@Observes ProcessManagedBean<T> pmb) {
    AnnotatedType<T> type = pmb.getAnnotatedBeanClass();
    Class<T> beanClass = type.getJavaClass();
    if (pmb.getBean() instanceof jakarta.enterprise.inject.spi.Interceptor
        || pmb.getBean() instanceof jakarta.enterprise.inject.spi.Decorator
        || type.isAnnotationPresent(jakarta.interceptor.Interceptor.class)) {
      return;
    }
    Journaled onClass = type.getAnnotation(Journaled.class);
    boolean any = onClass != null;
    for (AnnotatedMethod<? super T> am : type.getMethods()) {
      Method m = am.getJavaMember();
      Journaled onMethod = am.getAnnotation(Journaled.class);
      int mod = m.getModifiers();
      // A class binding covers the business methods: what the container can intercept anyway.
      if (onMethod == null
          && (onClass == null
              || m.getDeclaringClass() == Object.class
              || Modifier.isPrivate(mod)
              || Modifier.isStatic(mod)
              || m.isSynthetic())) {
        continue;
      }
      Journaled binding = onMethod != null ? onMethod : onClass;
      any = true;
      // Reported with the other problems at deployment validation, so that every @Journaled
      // mistake fails the same way (DeploymentException) and all of them are listed at once.
      Optional<String> why = Discovered.unreachable(m);
      if (why.isPresent()) {
        deployment.discovered.problems.add(why.get());
      } else if (!LogNames.isValid(binding.value())) {
        deployment.discovered.problems.add(Messages.invalidJournaledName(binding.value(), m));
      } else {
        deployment.discovered.journaled(m, beanClass, binding.value(), binding.codec());
      }
    }
    if (any) {
      deployment.targets.journaledBeanClass(beanClass);
      if (Modifier.isFinal(beanClass.getModifiers())) {
        deployment.discovered.problems.add(Messages.finalClass(beanClass));
      }
    }
  }

  // ---- validation, opening, recovery ----

  void afterDeploymentValidation(@Observes AfterDeploymentValidation adv, BeanManager bm) {
    deployment
        .start(
            event -> bm.getEvent().select(JournalRecovery.class).fire(event),
            event -> !bm.resolveObserverMethods(event).isEmpty())
        .forEach(p -> adv.addDeploymentProblem(new DeploymentException(p)));
  }

  // ---- shutdown ----

  void beforeShutdown(@Observes BeforeShutdown bs) {
    deployment.shutdown();
  }

  private static @Nullable Durable durable(InjectionPoint ip) {
    for (Annotation a : ip.getQualifiers()) {
      if (a instanceof Durable d) {
        return d;
      }
    }
    return null;
  }

  private static String where(InjectionPoint ip) {
    return ip.getMember().getDeclaringClass().getName() + "#" + ip.getMember().getName();
  }
}
