package dev.noriwal.cdi;

import dev.noriwal.Wal;
import dev.noriwal.jmx.WalService;
import dev.noriwal.jmx.settings.SettingSource;
import dev.noriwal.jmx.settings.Settings;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One deployment's nori-wal state, whichever way the container found it: what discovery saw, its
 * logs and the interceptor's lookup. The portable extension ({@link WalExtension}, CDI Full) fills
 * and starts it from its observers; under CDI Lite ({@link LiteExtension}, e.g. Quarkus) the
 * build-time extension hands what it saw to a synthetic bean and {@link LiteLifecycle} starts it.
 * The beans of this package reach it by injection.
 *
 * <p>Discovery runs on the container's bootstrap thread; after {@link #start} it is thread-safe.
 */
public final class WalDeployment {
  private static final System.Logger LOG = System.getLogger(WalExtension.class.getName());

  final Discovered discovered = new Discovered();
  final InterceptorTargets targets = new InterceptorTargets();
  private final DeploymentLogs logs;
  private final ClassLoader loader;
  private volatile @Nullable InvocationCodecs codecs;
  private @Nullable KafkaRelays relays; // guarded by this; only when some log has kafka settings

  /**
   * @param loader the deployment's class loader (names its service; loads codecs and settings)
   */
  WalDeployment(@Nullable ClassLoader loader) {
    this.loader = loader != null ? loader : WalDeployment.class.getClassLoader();
    this.logs = new DeploymentLogs(loader == null ? null : loader.getName());
  }

  /**
   * Validates what discovery found against the settings, opens every log and fires one {@link
   * JournalRecovery} per journal, before the application takes traffic.
   *
   * @param fire fires a recovery event to the application's observers
   * @param observed whether any observer would receive the event (unobserved pending calls are
   *     logged as a warning)
   * @return the deployment problems; when there are any, nothing is left open
   */
  List<String> start(Consumer<JournalRecovery> fire, Predicate<JournalRecovery> observed) {
    SettingSource source = MicroProfileSettings.detect(loader);
    codecs = InvocationCodecs.load(loader);
    DeploymentValidation.Result result =
        DeploymentValidation.validate(
            discovered, source, Settings.contributedPrefixes(loader), codecs);
    if (!result.problems().isEmpty()) {
      return result.problems();
    }
    List<String> kafkaProblems = kafkaSettings(source);
    if (!kafkaProblems.isEmpty()) {
      return kafkaProblems;
    }
    logs.configure(source, result.settings());
    targets.putAll(result.targets());
    List<String> problems = new ArrayList<>();
    try {
      for (String name : discovered.usages.keySet()) {
        logs.wal(name);
      }
      for (String name : discovered.journalLogs) {
        try {
          JournalRecovery event = new JournalRecovery(name, unfinished(name));
          if (!event.pending().isEmpty() && !observed.test(event)) {
            LOG.log(Level.WARNING, Messages.pendingUnobserved(name, event.pending()));
          }
          fire.accept(event);
        } catch (IOException | RuntimeException e) {
          problems.add(Messages.recoveryFailed(name, e));
          break;
        }
      }
      // Relays start once recovery observers have run; they publish what the logs hold.
      if (problems.isEmpty()) {
        startRelays(problems);
      }
    } catch (RuntimeException e) {
      problems.add(String.valueOf(e.getMessage()));
    }
    if (!problems.isEmpty()) {
      logs.closeOwned(); // a failed deployment is not shut down by the container
    }
    return problems;
  }

  /** The {@code nori.wal.<name>.kafka.*} settings of every log, validated; the problems found. */
  private synchronized List<String> kafkaSettings(SettingSource source) {
    List<String> out = new ArrayList<>();
    for (String name : discovered.usages.keySet()) {
      Map<String, String> raw = KafkaRelays.raw(name, source);
      if (raw.isEmpty()) {
        continue;
      }
      if (!KafkaRelays.available(loader)) {
        out.add(Messages.noKafka(name, KafkaRelays.prefix(name)));
        continue;
      }
      KafkaRelays r = relays;
      if (r == null) {
        r = new KafkaRelays();
        relays = r;
      }
      String problem = r.add(name, raw);
      if (problem != null) {
        out.add(problem);
      }
    }
    return out;
  }

  private synchronized void startRelays(List<String> problems) {
    KafkaRelays r = relays;
    if (r == null) {
      return;
    }
    for (String name : discovered.usages.keySet()) {
      if (r.has(name)) {
        try {
          r.start(name, logs.wal(name));
        } catch (RuntimeException e) {
          problems.add(Messages.relayFailed(name, e));
          r.closeAll();
          return;
        }
      }
    }
  }

  /** Stops the relays, then forces and closes the logs this deployment opened. */
  void shutdown() {
    synchronized (this) {
      KafkaRelays r = relays;
      if (r != null) {
        r.closeAll(); // before their logs close
      }
    }
    logs.shutdown();
    InvocationCodecs c = codecs;
    if (c != null) {
      c.close();
    }
  }

  /** See {@link DeploymentLogs#wal}. */
  Wal wal(String name) {
    return logs.wal(name);
  }

  /** The log if it is open, without opening it. */
  Optional<Wal> openWal(String name) {
    return logs.find(name);
  }

  /** See {@link DeploymentLogs#service}. */
  WalService service() {
    return logs.service();
  }

  InvocationCodecs codecs() {
    InvocationCodecs c = codecs;
    if (c == null) {
      c = InvocationCodecs.load(loader);
      codecs = c;
    }
    return c;
  }

  /** Log and codec for an intercepted method. */
  JournalTarget target(Method m, Class<?> targetClass) {
    return targets.target(m, targetClass, name -> logs.settings(name).codec(), this::codecs);
  }

  /** The bean class behind a possibly container-generated target class. */
  Class<?> beanClass(Class<?> targetClass, Method m) {
    return targets.beanClass(targetClass, m);
  }

  /** The unfinished invocations of a log, with their arguments decoded where possible. */
  List<PendingInvocation> unfinished(String name) throws IOException {
    return PendingCalls.unfinished(name, logs.wal(name), codecs(), loader);
  }

  ClassLoader classLoader() {
    return loader;
  }
}
