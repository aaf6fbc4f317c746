package dev.noriwal.jmx;

import dev.noriwal.RecoveryInfo;
import dev.noriwal.RecoveryMode;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalState;
import dev.noriwal.jmx.settings.LogNames;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.management.MBeanServer;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;

/**
 * The registry of open logs for a JVM (or for one deployment that carries its own copy of wal-jmx),
 * with an MXBean for the service and one per log in the platform MBean server.
 *
 * <h2>Which instance</h2>
 *
 * <ul>
 *   <li>{@link #get()} is the JVM-wide service, created on first use; the agent uses it too. Its
 *       MBeans have no {@code instance} key unless the system property {@value #INSTANCE_PROPERTY}
 *       is set. A shutdown hook closes its logs when the JVM exits.
 *   <li>{@link #create(String)} makes a separate service for a container deployment: its MBean
 *       names carry {@code instance=<id>} so two deployments never collide, and the deployment must
 *       call {@link #shutdown()} when it stops (no shutdown hook, no class-loader leak).
 * </ul>
 *
 * <h2>Names and directories</h2>
 *
 * {@link #open} returns the same {@link Wal} for the same name and directory, refuses one directory
 * under two names and one name for two directories. The returned {@code Wal} is a handle that
 * follows the log across {@code recover} and close/reopen. A log that fails to open stays
 * registered in state {@link WalState#FAILED} (with its configuration and the exception), so an
 * operator can {@link #recover} it, from JMX too.
 *
 * <p>ObjectNames: {@code dev.noriwal:type=Service[,instance=<id>]} and {@code
 * dev.noriwal:type=Log[,instance=<id>],name=<log>} (values quoted with {@link ObjectName#quote}
 * when they hold characters other than letters, digits, {@code . _ -}).
 *
 * <p>Thread-safe.
 */
public final class WalService {
  private static final System.Logger LOG = System.getLogger(WalService.class.getName());

  /** JMX domain of every MBean registered here. */
  public static final String DOMAIN = "dev.noriwal";

  /** System property read by {@link #get()}: instance key of the JVM-wide service's MBeans. */
  public static final String INSTANCE_PROPERTY = "dev.noriwal.jmx.instance";

  private final @Nullable String instanceId; // null for none
  private final MBeanRegistry mbeans;
  private final ObjectName serviceName;
  private final Map<String, ManagedLog> logs = new LinkedHashMap<>(); // guarded by this
  private boolean shutdown; // guarded by this

  WalService(@Nullable String instanceId, MBeanServer server) {
    this(instanceId, server, false);
  }

  /**
   * @param claim when true, fail with {@link InstanceTaken} instead of warning if another service
   *     already registered this instance key
   */
  private WalService(@Nullable String instanceId, MBeanServer server, boolean claim) {
    if (instanceId != null && instanceId.isBlank()) {
      throw new IllegalArgumentException("instanceId must not be blank");
    }
    this.instanceId = instanceId;
    this.mbeans = new MBeanRegistry(instanceId, server);
    this.serviceName = mbeans.name("Service", null);
    Object view =
        new DescribedMXBean<>(
            new ServiceView(this), ServiceMXBean.class, new NotificationBroadcasterSupport());
    if (claim) {
      if (!mbeans.claim(serviceName, view)) {
        throw new InstanceTaken();
      }
    } else {
      mbeans.register(serviceName, view);
    }
  }

  /** Another live service in this JVM holds the instance key. */
  private static final class InstanceTaken extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InstanceTaken() {
      super(null, null, false, false);
    }
  }

  /** The JVM-wide service, created on first use, with a shutdown hook that closes its logs. */
  public static WalService get() {
    return JvmWideService.get();
  }

  /**
   * A service of its own for a deployment that carries wal-jmx itself; its MBeans carry {@code
   * instance=<instanceId>}. Call {@link #shutdown()} when the deployment stops.
   */
  public static WalService create(String instanceId) {
    return create(instanceId, ManagementFactory.getPlatformMBeanServer());
  }

  /**
   * A service for the deployment called {@code deploymentName}: its MBeans carry {@code
   * instance=<deploymentName>}, the same name across redeploys and server restarts, so saved
   * JConsole connections, dashboards and alert rules keep matching. While another live service in
   * this JVM holds that key (a second deployment of the same name), the key is {@code
   * <deploymentName>-2}, then {@code -3}, and so on. Call {@link #shutdown()} when the deployment
   * stops; that frees the key.
   */
  public static WalService forDeployment(String deploymentName) {
    return forDeployment(deploymentName, ManagementFactory.getPlatformMBeanServer());
  }

  /** As {@link #forDeployment(String)}, registering in {@code server}. */
  public static WalService forDeployment(String deploymentName, MBeanServer server) {
    Objects.requireNonNull(deploymentName, "deploymentName");
    for (int n = 1; ; n++) {
      try {
        return new WalService(n == 1 ? deploymentName : deploymentName + "-" + n, server, true);
      } catch (InstanceTaken e) {
        // The registration itself is the claim, atomic across every copy of this class.
      }
    }
  }

  /** As {@link #create(String)}, registering in {@code server} (tests use a private server). */
  public static WalService create(String instanceId, MBeanServer server) {
    Objects.requireNonNull(instanceId, "instanceId");
    return new WalService(instanceId, server);
  }

  /** The instance id, or empty for the JVM-wide service without one. */
  public Optional<String> instanceId() {
    return Optional.ofNullable(instanceId);
  }

  public MBeanServer mbeanServer() {
    return mbeans.server();
  }

  /** {@code dev.noriwal:type=Service[,instance=<id>]}. */
  public ObjectName serviceObjectName() {
    return serviceName;
  }

  /** The ObjectName the log called {@code logName} has (or would have) here. */
  public ObjectName logObjectName(String logName) {
    return mbeans.name("Log", logName);
  }

  /**
   * Opens the log {@code name} in {@code config.directory()}, or returns the one already open under
   * that name and directory (its configuration is kept; {@code config} is then ignored). A log
   * registered under that name but closed or failed is opened again with {@code config}.
   *
   * @throws IllegalStateException if the directory is registered under another name, or the name
   *     under another directory (both are named), or the service was shut down
   * @throws IOException if opening fails; the log stays registered in state FAILED
   */
  public Wal open(String name, WalConfig config) throws IOException {
    requireName(name);
    Objects.requireNonNull(config, "config");
    Path dir = key(config.directory());
    ManagedLog log;
    synchronized (this) {
      if (shutdown) {
        throw new IllegalStateException("WalService" + describeInstance() + " was shut down");
      }
      log = logs.get(name);
      if (log != null && !log.directory().equals(dir)) {
        throw new IllegalStateException(
            "log name '"
                + name
                + "' is already used for directory "
                + log.directory()
                + ", cannot use it for "
                + dir);
      }
      for (ManagedLog other : logs.values()) {
        if (other != log && other.directory().equals(dir)) {
          throw new IllegalStateException(
              "directory "
                  + dir
                  + " is already registered as log '"
                  + other.name()
                  + "', cannot register it as '"
                  + name
                  + "'");
        }
      }
      if (log == null) {
        log = new ManagedLog(name, logObjectName(name), config);
        logs.put(name, log);
        mbeans.register(
            log.objectName(),
            new DescribedMXBean<>(
                log.view(),
                LogMXBean.class,
                log.emitter(),
                Map.of("listSegments", LogView.SEGMENT_TABLE)));
      }
    }
    log.open(config);
    return log.handle();
  }

  /** The log registered as {@code name} if it is open (or fenced after an I/O failure). */
  public Optional<Wal> find(String name) {
    ManagedLog log;
    synchronized (this) {
      log = logs.get(name);
    }
    return log == null || log.wal() == null ? Optional.empty() : Optional.of(log.handle());
  }

  /** Every registered name, open or not, in registration order. */
  public synchronized Set<String> names() {
    return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(logs.keySet()));
  }

  /** The state of every registered log, by name. */
  public synchronized Map<String, WalState> states() {
    Map<String, WalState> m = new TreeMap<>();
    logs.forEach((n, l) -> m.put(n, l.state()));
    return m;
  }

  /** The state of the log {@code name}. */
  public WalState state(String name) {
    return require(name).state();
  }

  /** Why the log {@code name} is FAILED (open failure or I/O failure), if it is. */
  public Optional<Throwable> failureOf(String name) {
    return Optional.ofNullable(require(name).failure());
  }

  /** The configuration the log {@code name} was (last) opened with. */
  public WalConfig configOf(String name) {
    return require(name).config();
  }

  /**
   * Closes the log (if open) and reopens it with {@code mode}, for example {@link
   * RecoveryMode#POINT_IN_TIME} to bring back a log that failed on corruption. Handles returned by
   * {@link #open} keep working. The configured recovery mode is not changed.
   *
   * @return what recovery found and did
   * @throws IOException if reopening fails; the log is then FAILED with this cause
   */
  public RecoveryInfo recover(String name, RecoveryMode mode) throws IOException {
    Objects.requireNonNull(mode, "mode");
    return require(name).recover(mode);
  }

  /** Closes the log {@code name}; it stays registered (state CLOSED) and can be opened again. */
  public void close(String name) throws IOException {
    require(name).close();
  }

  /**
   * Closes the log {@code name} (if open), unregisters its MBean and forgets the name and its
   * directory, so a deployment that opened it leaves nothing behind and a redeploy may use the name
   * for another directory. Does nothing for an unknown name.
   */
  public void remove(String name) throws IOException {
    ManagedLog log;
    synchronized (this) {
      log = logs.get(name);
    }
    if (log == null) {
      return;
    }
    try {
      log.close();
    } finally {
      synchronized (this) {
        if (logs.get(name) == log) {
          logs.remove(name);
          mbeans.unregister(log.objectName());
        }
      }
    }
  }

  /**
   * Closes every log; failures are logged and the first is rethrown after all were tried, with the
   * others suppressed.
   */
  public void closeAll() throws IOException {
    List<ManagedLog> all;
    synchronized (this) {
      all = new ArrayList<>(logs.values());
    }
    IOException first = null;
    for (ManagedLog l : all) {
      try {
        l.close();
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "closing nori-wal log '" + l.name() + "' failed", e);
        IOException io = e instanceof IOException i ? i : new IOException(e);
        if (first == null) {
          first = io;
        } else {
          first.addSuppressed(io);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * Closes every log and unregisters every MBean this service registered; afterwards {@link #open}
   * is refused. For the JVM-wide service, the next {@link #get()} creates a fresh one. Idempotent.
   */
  public void shutdown() {
    synchronized (this) {
      if (shutdown) {
        return;
      }
      shutdown = true;
    }
    try {
      closeAll();
    } catch (IOException e) {
      // already logged per log
    }
    synchronized (this) {
      mbeans.unregisterAll();
      logs.clear();
    }
    JvmWideService.forget(this);
  }

  private ManagedLog require(String name) {
    synchronized (this) {
      ManagedLog log = logs.get(name);
      if (log == null) {
        throw new IllegalArgumentException(
            "no log named '"
                + name
                + "' is registered"
                + describeInstance()
                + "; registered: "
                + logs.keySet());
      }
      return log;
    }
  }

  static Path key(Path dir) {
    return dir.toAbsolutePath().normalize();
  }

  private static void requireName(String name) {
    Objects.requireNonNull(name, "name");
    LogNames.requireValid(name);
  }

  private String describeInstance() {
    return instanceId == null ? "" : " (instance " + instanceId + ")";
  }

  static String version() {
    String v = WalService.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-SNAPSHOT";
  }

  /** The configuration for {@code open(name, directory)} from JMX: the registered one if same. */
  synchronized WalConfig configFor(String name, Path directory) {
    ManagedLog existing = logs.get(name);
    return existing != null && existing.directory().equals(key(directory))
        ? existing.config()
        : WalConfig.builder(directory).build();
  }
}
