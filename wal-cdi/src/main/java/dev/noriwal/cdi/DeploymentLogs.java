package dev.noriwal.cdi;

import dev.noriwal.CorruptLogException;
import dev.noriwal.Wal;
import dev.noriwal.jmx.WalService;
import dev.noriwal.jmx.settings.LogNames;
import dev.noriwal.jmx.settings.LogSettings;
import dev.noriwal.jmx.settings.SettingSource;
import dev.noriwal.jmx.settings.Settings;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The logs of one deployment: which {@link WalService} they live in, their settings, opening them
 * (one line each in the log with the settings in effect) and closing those this deployment opened.
 * Thread-safe.
 */
final class DeploymentLogs {
  private static final System.Logger LOG = System.getLogger(WalExtension.class.getName());

  private final Map<String, LogSettings> settings = new ConcurrentHashMap<>();
  private final Set<String> owned = new LinkedHashSet<>(); // guarded by this
  private @Nullable WalService service; // guarded by this
  private boolean ownService; // guarded by this
  private volatile @Nullable SettingSource source;
  private final @Nullable String instanceHint;

  /**
   * @param instanceHint the deployment's class loader name, for the instance key of a service of
   *     its own
   */
  DeploymentLogs(@Nullable String instanceHint) {
    this.instanceHint = instanceHint;
  }

  /** The settings validated at deployment; later lookups of other names read {@code source}. */
  void configure(SettingSource source, Map<String, LogSettings> validated) {
    this.source = source;
    settings.putAll(validated);
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
        service = WalService.forDeployment(instanceId());
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

  /** The deployment's name (its class loader's, e.g. {@code deployment.ledger.war} on WildFly). */
  private String instanceId() {
    return instanceHint == null || instanceHint.isBlank()
        ? "deployment"
        : instanceHint.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /**
   * The shared log of this name, opened on first use with its settings (and one INFO line saying
   * which). Logs named only by injection points the extension never saw (non-contextual instances)
   * are opened here too.
   *
   * @throws IllegalArgumentException if the name breaks the log-name rule
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
      LOG.log(Level.INFO, s.describe());
      return wal;
    } catch (IOException | RuntimeException e) {
      String message =
          damaged(e)
              ? Messages.cannotOpenDamaged(name, s.config().directory(), e)
              : Messages.cannotOpen(name, s.config().directory(), e);
      throw new IllegalStateException(message, e);
    }
  }

  private static boolean damaged(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CorruptLogException) {
        return true;
      }
    }
    return false;
  }

  /** The log if it is open, without opening it. */
  Optional<Wal> find(String name) {
    return service().find(name);
  }

  LogSettings settings(String name) {
    if (!LogNames.isValid(name)) {
      throw new IllegalArgumentException(Messages.invalidDurableName(name, "run time"));
    }
    LogSettings s = settings.get(name);
    if (s != null) {
      return s;
    }
    SettingSource src = source;
    if (src == null) {
      src = MicroProfileSettings.detect(Thread.currentThread().getContextClassLoader());
    }
    Settings.Resolution r = Settings.resolve(name, src);
    if (r.settings().isEmpty()) {
      List<String> bad = new ArrayList<>();
      r.problems().forEach(p -> bad.add(Messages.badSetting(p.key(), p.value(), p.reason())));
      throw new IllegalStateException(String.join("; ", bad));
    }
    LogSettings raced = settings.putIfAbsent(name, r.settings().get());
    return raced != null ? raced : r.settings().get();
  }

  /**
   * Forces, closes and unregisters the logs this deployment opened (not those someone else opened
   * first), so no MBean or name binding outlives the deployment.
   */
  void closeOwned() {
    List<String> names;
    synchronized (this) {
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

  /** Closes the owned logs, then shuts down the service if it is the deployment's own. */
  void shutdown() {
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
  }
}
