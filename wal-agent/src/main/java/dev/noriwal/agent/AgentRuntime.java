package dev.noriwal.agent;

import dev.noriwal.agent.hooks.JournalHooks;
import dev.noriwal.jmx.DescribedMXBean;
import dev.noriwal.jmx.WalService;
import dev.noriwal.jmx.settings.LogSettings;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;

/**
 * The agent's state on the bootstrap side: options, problems, counters, and starting the WalService
 * with the configured logs. Thread-safe; one per JVM.
 */
final class AgentRuntime implements AgentMXBean {
  static final AgentRuntime INSTANCE = new AgentRuntime();

  final AtomicLong instrumentedTypes = new AtomicLong();
  final AtomicLong journaled = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  final AtomicLong outcomeFailures = new AtomicLong();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private volatile AgentOptions options = AgentOptions.parse("");
  private volatile boolean attached;
  private volatile boolean started;

  private AgentRuntime() {}

  /** Reports a problem through the agent's log and lists it in the Agent MBean. */
  void problem(String text) {
    problems.add(text);
    AgentLog.warn(text);
  }

  void configure(AgentOptions o, boolean attach) {
    options = o;
    attached = attach;
    o.problems().forEach(this::problem);
  }

  AgentOptions options() {
    return options;
  }

  /**
   * Starts the JVM-wide service, registers the Agent MXBean and opens the configured logs, once. A
   * log that fails to open is reported and stays registered in state FAILED.
   *
   * @throws IllegalStateException when failFast is on and something failed
   */
  void ensureStarted() {
    if (started) {
      return;
    }
    synchronized (this) {
      if (started) {
        return;
      }
      started = true;
      WalService service = WalService.get();
      try {
        ObjectName name = new ObjectName(WalService.DOMAIN + ":type=Agent");
        if (!service.mbeanServer().isRegistered(name)) {
          service
              .mbeanServer()
              .registerMBean(
                  new DescribedMXBean<>(
                      this, AgentMXBean.class, new NotificationBroadcasterSupport()),
                  name);
        }
      } catch (Exception e) {
        problem("cannot register the Agent MBean: " + e);
      }
      String firstFailure = null;
      for (LogSettings s : options.settings().values()) {
        try {
          service.open(s.name(), s.config());
          AgentLog.info(s.describe());
        } catch (Exception ex) {
          String text =
              "log " + s.name() + " in " + s.config().directory() + " failed to open: " + ex;
          problem(text);
          if (firstFailure == null) {
            firstFailure = text;
          }
        }
      }
      if (firstFailure != null && options.failFast()) {
        throw new IllegalStateException("nori-wal agent (failFast): " + firstFailure);
      }
    }
  }

  /** The package WildFly must delegate to the boot class path for instrumented deployments. */
  static final String HOOKS_PACKAGE = "dev.noriwal.agent.hooks";

  /**
   * Under jboss-modules (WildFly), deployments reach the hooks only through a system package;
   * without it every journaled call of a deployment would fail with NoClassDefFoundError. Returns
   * the problem to report, or null when there is none (or no jboss-modules).
   */
  static @Nullable String hooksNotShared(@Nullable String systemPackages) {
    if (systemPackages == null
        || List.of(systemPackages.split(",")).stream()
            .map(String::trim)
            .anyMatch(HOOKS_PACKAGE::equals)) {
      return null;
    }
    return "running under jboss-modules without "
        + HOOKS_PACKAGE
        + " in jboss.modules.system.pkgs ("
        + systemPackages
        + "): journaled methods of deployments cannot reach the agent. Start the server with"
        + " JBOSS_MODULES_SYSTEM_PKGS=org.jboss.byteman,"
        + HOOKS_PACKAGE;
  }

  static void install(
      Instrumentation inst, AgentOptions o, boolean attach, @Nullable String agentJar)
      throws java.io.IOException {
    INSTANCE.configure(o, attach);
    if (o.failFast() && !o.problems().isEmpty()) {
      throw new IllegalArgumentException("nori-wal agent (failFast): bad options: " + o.problems());
    }
    String problem = hooksNotShared(System.getProperty("jboss.modules.system.pkgs"));
    if (problem != null) {
      INSTANCE.problem(problem);
      if (o.failFast()) {
        throw new IllegalStateException("nori-wal agent (failFast): " + problem);
      }
    }
    JournalHooks.install(MethodJournal.INSTANCE);
    if (!o.lazy()) {
      INSTANCE.ensureStarted();
    } else {
      AgentLog.info(
          "installed (startup=lazy): logs "
              + o.logs().keySet()
              + " open at the first journaled call");
    }
    Instrumenter.install(inst, INSTANCE, agentJar);
  }

  @Override
  public String getOptions() {
    return options.text();
  }

  @Override
  public String[] getProblems() {
    return problems.toArray(new String[0]);
  }

  @Override
  public boolean isAttached() {
    return attached;
  }

  @Override
  public long getInstrumentedTypes() {
    return instrumentedTypes.get();
  }

  @Override
  public long getInvocationsJournaled() {
    return journaled.get();
  }

  @Override
  public long getInvocationsRefused() {
    return refused.get();
  }

  @Override
  public long getOutcomeFailures() {
    return outcomeFailures.get();
  }
}
