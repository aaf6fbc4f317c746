package dev.noriwal.cdi;

import dev.noriwal.Wal;
import dev.noriwal.jmx.WalService;
import dev.noriwal.jmx.journal.Invocation;
import dev.noriwal.jmx.journal.InvocationCodec;
import dev.noriwal.jmx.journal.Journal;
import dev.noriwal.jmx.journal.JournalCodecException;
import dev.noriwal.jmx.journal.JsonInvocationCodec;
import jakarta.enterprise.event.Observes;
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
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The portable extension behind {@link Durable @Durable} and {@link Journaled @Journaled}.
 *
 * <ul>
 *   <li><b>Discovery</b>: adds the producer, the interceptor and {@link JournalReplay} as beans (the
 *       wal-cdi jar need not be a bean archive), collects every log name used by a {@code @Durable}
 *       injection point or a {@code @Journaled} method, and rejects {@code @Journaled} where the
 *       interceptor cannot reach (private, static or final methods, final classes).
 *   <li><b>Validation</b> ({@link AfterDeploymentValidation}): reads each log's settings (see
 *       {@link LogSettings} for the keys), rejects bad values, unknown codecs, parameter types the
 *       {@code "json"} codec cannot encode, and two logs on one directory, then opens every log
 *       through the JVM-wide {@link WalService} and fires one {@link JournalRecovery} per journal,
 *       before the application takes traffic. Every problem is reported with a numbered message.
 *   <li><b>Shutdown</b> ({@link BeforeShutdown}): forces and closes the logs this deployment
 *       opened, which releases their directory locks and unregisters their MBeans; logs another
 *       party (the agent, another deployment) had opened first are left open.
 * </ul>
 *
 * <p>State lives in this instance, never in statics, because every deployment of an application
 * server gets its own instance. Thread-safe after deployment.
 *
 * <p>CDI Full only (portable extension). There is no Build Compatible Extension twin yet: Weld skips
 * a {@code @SkipIfPortableExtensionPresent} twin as soon as this class is merely on the class path,
 * so the twin belongs in its own jar with its own tests.
 */
public class WalExtension implements Extension {
  private static final System.Logger LOG = System.getLogger(WalExtension.class.getName());

  /** How a journaled method was declared, as collected at discovery. */
  private record Declared(Method method, Class<?> beanClass, String log, String codec) {}

  /** What the interceptor needs for one method, once settings and codecs are known. */
  record Target(String log, InvocationCodec codec) {}

  // Discovery state: written by the container's bootstrap thread only.
  private final Map<String, Set<String>> usages = new TreeMap<>();
  private final Set<String> journalLogs = new TreeSet<>();
  private final List<Declared> declared = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  // Run-time state.
  private final Set<Class<?>> journaledBeanClasses = ConcurrentHashMap.newKeySet();
  private final Map<Method, Target> targets = new ConcurrentHashMap<>();
  private final Map<Class<?>, Class<?>> beanClassOfTarget = new ConcurrentHashMap<>();
  private final Map<String, LogSettings> settings = new ConcurrentHashMap<>();
  private final Set<String> owned = new LinkedHashSet<>(); // guarded by this
  private WalService service; // guarded by this
  private KafkaRelays relays; // guarded by this; null unless some log has nori.wal.<name>.kafka.*
  private boolean ownService; // guarded by this
  private volatile ConfigLookup lookup;
  private volatile Codecs codecs;
  private volatile ClassLoader loader;

  // ---- discovery ----

  void beforeBeanDiscovery(@Observes BeforeBeanDiscovery bbd, BeanManager bm) {
    ClassLoader tccl = Thread.currentThread().getContextClassLoader();
    loader = tccl != null ? tccl : WalExtension.class.getClassLoader();
    for (Class<?> c : List.of(WalProducer.class, JournalInterceptor.class, JournalReplay.class)) {
      bbd.addAnnotatedType(bm.createAnnotatedType(c), WalExtension.class.getName() + "#" + c.getName());
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
      pip.addDefinitionError(new DefinitionException(Messages.durableNotWal(ip.getType(), where(ip))));
      return;
    }
    String name = durable.value();
    if (!LogSettings.isValidName(name)) {
      problems.add(Messages.invalidDurableName(name, where(ip)));
      return;
    }
    usages.computeIfAbsent(name, n -> new TreeSet<>()).add("@Durable at " + where(ip));
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
      problems.add(Messages.finalClass(c));
      AnnotatedTypeConfigurator<T> cfg = pat.configureAnnotatedType();
      cfg.remove(Journaled.class::isInstance);
      cfg.methods().forEach(m -> m.remove(Journaled.class::isInstance));
      return;
    }
    List<Method> unreachable = new ArrayList<>();
    for (AnnotatedMethod<? super T> am : type.getMethods()) {
      if (!am.isAnnotationPresent(Journaled.class)) {
        continue;
      }
      Method m = am.getJavaMember();
      int mod = m.getModifiers();
      if (Modifier.isPrivate(mod)) {
        problems.add(Messages.privateMethod(m));
      } else if (Modifier.isStatic(mod)) {
        problems.add(Messages.staticMethod(m));
      } else if (Modifier.isFinal(mod)) {
        problems.add(Messages.finalMethod(m));
      } else {
        continue;
      }
      unreachable.add(m);
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
    boolean any = false;
    for (AnnotatedMethod<? super T> am : type.getMethods()) {
      Method m = am.getJavaMember();
      Journaled onMethod = am.getAnnotation(Journaled.class);
      int mod = m.getModifiers();
      if (onMethod == null) {
        // A class binding covers the business methods: what the container can intercept anyway.
        if (onClass == null
            || m.getDeclaringClass() == Object.class
            || Modifier.isPrivate(mod)
            || Modifier.isStatic(mod)
            || m.isSynthetic()) {
          continue;
        }
      }
      Journaled binding = onMethod != null ? onMethod : onClass;
      any = true;
      // Reported with the other problems at deployment validation, so that every @Journaled
      // mistake fails the same way (DeploymentException) and all of them are listed at once.
      if (Modifier.isPrivate(mod)) {
        problems.add(Messages.privateMethod(m));
      } else if (Modifier.isStatic(mod)) {
        problems.add(Messages.staticMethod(m));
      } else if (Modifier.isFinal(mod)) {
        problems.add(Messages.finalMethod(m));
      } else if (!LogSettings.isValidName(binding.value())) {
        problems.add(Messages.invalidJournaledName(binding.value(), m));
      } else {
        declared.add(new Declared(m, beanClass, binding.value(), binding.codec()));
        journalLogs.add(binding.value());
        usages
            .computeIfAbsent(binding.value(), n -> new TreeSet<>())
            .add("@Journaled " + beanClass.getName() + "#" + m.getName());
      }
    }
    if (onClass != null) {
      any = true;
    }
    if (any) {
      journaledBeanClasses.add(beanClass);
      if (Modifier.isFinal(beanClass.getModifiers())) {
        problems.add(Messages.finalClass(beanClass));
      }
    }
  }

  // ---- validation, opening, recovery ----

  void afterDeploymentValidation(@Observes AfterDeploymentValidation adv, BeanManager bm) {
    lookup = ConfigLookup.detect(loader);
    codecs = Codecs.load(loader);
    List<String> found = new ArrayList<>(problems);

    for (String name : usages.keySet()) {
      try {
        settings.put(name, LogSettings.resolve(name, lookup));
      } catch (LogSettings.InvalidSettingException e) {
        found.add(e.getMessage());
      }
    }
    found.addAll(sharedDirectories());
    found.addAll(kafkaSettings());
    for (LogSettings s : settings.values()) {
      s.codec()
          .filter(id -> codecs.find(id).isEmpty())
          .ifPresent(
              id ->
                  found.add(
                      Messages.badSetting(
                          LogSettings.key(s.name(), "codec"),
                          id,
                          "unknown codec; available here: " + codecs.ids())));
    }
    for (Declared d : declared) {
      LogSettings s = settings.get(d.log());
      if (s == null) {
        continue; // its settings were reported above
      }
      String id = s.codec().orElse(d.codec());
      Optional<InvocationCodec> codec = codecs.find(id);
      if (codec.isEmpty()) {
        if (s.codec().isEmpty()) {
          found.add(Messages.unknownCodec(id, d.method(), codecs.ids()));
        }
        continue;
      }
      if (JsonInvocationCodec.ID.equals(id) && codec.get() instanceof JsonInvocationCodec) {
        Type[] params = d.method().getGenericParameterTypes();
        for (int i = 0; i < params.length; i++) {
          String reason = JsonInvocationCodec.unsupportedReason(params[i]);
          if (reason != null) {
            found.add(Messages.unencodableParameter(d.method(), i, params[i].getTypeName(), reason));
          }
        }
      }
      targets.put(d.method(), new Target(d.log(), codec.get()));
    }
    if (!found.isEmpty()) {
      found.forEach(p -> adv.addDeploymentProblem(new DeploymentException(p)));
      return;
    }

    for (String name : usages.keySet()) {
      try {
        wal(name);
      } catch (RuntimeException e) {
        adv.addDeploymentProblem(new DeploymentException(e.getMessage(), e));
        closeOwned(); // a failed deployment gets no BeforeShutdown
        return;
      }
    }
    for (String name : journalLogs) {
      try {
        JournalRecovery event = new JournalRecovery(name, unfinished(name));
        bm.getEvent().select(JournalRecovery.class).fire(event);
      } catch (IOException | RuntimeException e) {
        adv.addDeploymentProblem(new DeploymentException(Messages.recoveryFailed(name, e), e));
        closeOwned();
        return;
      }
    }
    // Relays start once recovery observers have run; they publish what the logs hold.
    synchronized (this) {
      for (String name : usages.keySet()) {
        if (relays != null && relays.has(name)) {
          try {
            relays.start(name, wal(name));
          } catch (RuntimeException e) {
            adv.addDeploymentProblem(new DeploymentException(Messages.relayFailed(name, e), e));
            closeOwned();
            return;
          }
        }
      }
    }
  }

  private synchronized List<String> kafkaSettings() {
    List<String> out = new ArrayList<>();
    for (String name : usages.keySet()) {
      Map<String, String> raw = KafkaRelays.raw(name, lookup);
      if (raw.isEmpty()) {
        continue;
      }
      if (!KafkaRelays.available(loader)) {
        out.add(Messages.noKafka(name, KafkaRelays.prefix(name)));
        continue;
      }
      if (relays == null) {
        relays = new KafkaRelays();
      }
      String problem = relays.add(name, raw);
      if (problem != null) {
        out.add(problem);
      }
    }
    return out;
  }

  private List<String> sharedDirectories() {
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

  // ---- shutdown ----

  void beforeShutdown(@Observes BeforeShutdown bs) {
    closeOwned();
    WalService own;
    synchronized (this) {
      own = ownService ? service : null;
      service = null;
      ownService = false;
    }
    if (own != null) {
      own.shutdown(); // unregisters the deployment's Service MBean too: nothing pins its loader
    }
    Codecs c = codecs;
    if (c != null) {
      c.close();
    }
  }

  /**
   * Forces, closes and unregisters the logs this deployment opened (not those someone else opened
   * first), so no MBean or name binding outlives the deployment.
   */
  private void closeOwned() {
    List<String> names;
    synchronized (this) {
      if (relays != null) {
        relays.closeAll(); // before their logs close
      }
      names = new ArrayList<>(owned);
      owned.clear();
    }
    WalService service = service();
    for (String name : names) {
      try {
        Optional<Wal> wal = service.find(name);
        if (wal.isPresent()) {
          wal.get().sync();
        }
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "forcing log \"" + name + "\" before closing it failed", e);
      }
      try {
        service.remove(name); // closes, releases the lock, unregisters the MBean
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "closing log \"" + name + "\" failed", e);
      }
    }
  }

  // ---- used by the beans of this package ----

  /**
   * The shared log of this name, opened on first use with its settings. Logs named only by
   * injection points the extension never saw (non-contextual instances) are opened here too.
   *
   * @throws IllegalArgumentException if the name is not a valid log name
   * @throws IllegalStateException if its settings are invalid or it cannot be opened
   */
  synchronized Wal wal(String name) {
    WalService service = service();
    Optional<Wal> open = service.find(name);
    if (open.isPresent()) {
      return open.get();
    }
    LogSettings s = settings(name);
    try {
      Wal wal = service.open(name, s.config());
      owned.add(name);
      return wal;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(Messages.cannotOpen(name, s.config().directory(), e), e);
    }
  }

  /** The log if it is open, without opening it. */
  Optional<Wal> openWal(String name) {
    return service().find(name);
  }

  /**
   * The service this deployment's logs live in. When wal-jmx was loaded by the JVM's own class
   * loaders (the agent put it on the boot class path, or a plain Java SE application), every
   * deployment shares the JVM-wide {@link WalService#get()}. When the deployment carries wal-jmx
   * itself (a WAR's {@code WEB-INF/lib}), it gets a service of its own, whose MBean names carry an
   * {@code instance} key, and which is shut down with the deployment so no MBean, shutdown hook or
   * class loader outlives it.
   */
  synchronized WalService service() {
    if (service == null) {
      if (loadedByTheJvm(WalService.class.getClassLoader())) {
        service = WalService.get();
        ownService = false;
      } else {
        service = WalService.create(deploymentInstanceId());
        ownService = true;
      }
    }
    return service;
  }

  static boolean loadedByTheJvm(ClassLoader loader) {
    if (loader == null) {
      return true; // boot class path, where the agent puts wal-jmx
    }
    for (ClassLoader c = ClassLoader.getSystemClassLoader(); c != null; c = c.getParent()) {
      if (c == loader) {
        return true;
      }
    }
    return false;
  }

  private String deploymentInstanceId() {
    ClassLoader l = Thread.currentThread().getContextClassLoader();
    String name = l == null ? null : l.getName();
    String base = name == null || name.isBlank() ? "deployment" : name.replaceAll("[^A-Za-z0-9._-]", "_");
    return base + "-" + Integer.toHexString(System.identityHashCode(this));
  }

  LogSettings settings(String name) {
    if (!LogSettings.isValidName(name)) {
      throw new IllegalArgumentException(Messages.invalidDurableName(name, "run time"));
    }
    LogSettings s = settings.get(name);
    if (s != null) {
      return s;
    }
    try {
      s = LogSettings.resolve(name, lookup());
    } catch (LogSettings.InvalidSettingException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    LogSettings raced = settings.putIfAbsent(name, s);
    return raced != null ? raced : s;
  }

  private ConfigLookup lookup() {
    ConfigLookup l = lookup;
    return l != null ? l : ConfigLookup.detect(classLoader());
  }

  private ClassLoader classLoader() {
    ClassLoader l = loader;
    return l != null ? l : WalExtension.class.getClassLoader();
  }

  Codecs codecs() {
    Codecs c = codecs;
    if (c == null) {
      c = Codecs.load(classLoader());
      codecs = c;
    }
    return c;
  }

  /** Log and codec for an intercepted method. */
  Target target(Method m, Class<?> targetClass) {
    Target t = targets.get(m);
    if (t != null) {
      return t;
    }
    // Not seen at discovery (e.g. a bean added by another extension): read the annotation.
    Journaled j = m.getAnnotation(Journaled.class);
    if (j == null) {
      j = beanClass(targetClass, m).getAnnotation(Journaled.class);
    }
    if (j == null) {
      throw new IllegalStateException(Messages.bindingNotFound(m));
    }
    String id = settings(j.value()).codec().orElse(j.codec());
    InvocationCodec codec =
        codecs()
            .find(id)
            .orElseThrow(() -> new IllegalStateException(Messages.unknownCodec(id, m, codecs().ids())));
    t = new Target(j.value(), codec);
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

  /** The unfinished invocations of a log, with their arguments decoded where possible. */
  List<PendingInvocation> unfinished(String name) throws IOException {
    List<PendingInvocation> out = new ArrayList<>();
    for (Invocation inv : Journal.unfinished(wal(name))) {
      out.add(pending(name, inv));
    }
    return out;
  }

  private PendingInvocation pending(String log, Invocation inv) {
    Method method = resolve(inv.beanClass(), inv.method());
    Object[] args = null;
    String problem = null;
    if (method == null) {
      problem = "no method " + inv.method() + " in class " + inv.beanClass() + " here";
    } else {
      Optional<InvocationCodec> codec = codecs().find(inv.codec());
      if (codec.isEmpty()) {
        problem = "codec \"" + inv.codec() + "\" is not available here";
      } else {
        try {
          args = codec.get().decodeArguments(method, inv.arguments());
        } catch (JournalCodecException e) {
          problem = e.getMessage();
        }
      }
    }
    return new PendingInvocation(
        log,
        inv.invocationId(),
        inv.beanClass(),
        inv.method(),
        inv.timestamp(),
        inv.codec(),
        inv.arguments(),
        method,
        args,
        problem);
  }

  private Method resolve(String className, String signature) {
    Class<?> c;
    try {
      c = Class.forName(className, false, classLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Method m : k.getDeclaredMethods()) {
        if (!m.isSynthetic() && Journal.signature(m).equals(signature)) {
          return m;
        }
      }
    }
    return null;
  }

  private static Durable durable(InjectionPoint ip) {
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
