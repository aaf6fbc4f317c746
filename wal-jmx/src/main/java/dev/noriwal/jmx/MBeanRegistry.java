package dev.noriwal.jmx;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;

/**
 * The MBeans of one {@link WalService}: how their ObjectNames are built ({@code
 * dev.noriwal:type=T[,instance=I][,name=N]}, values quoted where needed), which of them this
 * service registered, and unregistering exactly those, never another service's. Thread-safe.
 */
final class MBeanRegistry {
  private static final System.Logger LOG = System.getLogger(MBeanRegistry.class.getName());
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]+");

  private final @Nullable String instanceId;
  private final MBeanServer server;
  private final List<ObjectName> registered = new ArrayList<>(); // guarded by this

  MBeanRegistry(@Nullable String instanceId, MBeanServer server) {
    this.instanceId = instanceId;
    this.server = Objects.requireNonNull(server, "server");
  }

  MBeanServer server() {
    return server;
  }

  /** {@code dev.noriwal:type=<type>[,instance=<id>][,name=<logName>]}. */
  ObjectName name(String type, @Nullable String logName) {
    StringBuilder sb = new StringBuilder(WalService.DOMAIN).append(":type=").append(type);
    if (instanceId != null) {
      sb.append(",instance=").append(quoteIfNeeded(instanceId));
    }
    if (logName != null) {
      sb.append(",name=").append(quoteIfNeeded(logName));
    }
    try {
      return new ObjectName(sb.toString());
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("cannot build an ObjectName from " + sb, e);
    }
  }

  static String quoteIfNeeded(String value) {
    return PLAIN.matcher(value).matches() ? value : ObjectName.quote(value);
  }

  /**
   * Registers {@code mbean} as {@code n}, or returns false when the name is taken (by another
   * service): the registration itself is the claim, atomic across every copy of this class.
   */
  synchronized boolean claim(ObjectName n, Object mbean) {
    try {
      server.registerMBean(mbean, n);
    } catch (InstanceAlreadyExistsException e) {
      return false;
    } catch (JMException e) {
      throw new IllegalStateException("cannot register " + n, e);
    }
    registered.add(n);
    return true;
  }

  /** Registers {@code mbean} as {@code n}; if another service holds the name, warns and goes on. */
  synchronized void register(ObjectName n, Object mbean) {
    if (!claim(n, mbean)) {
      // Another copy of wal-jmx (another deployment) owns this name: keep working without the
      // MBean rather than unregistering someone else's. An instance key avoids this.
      LOG.log(
          Level.WARNING,
          n
              + " is already registered by another WalService; set "
              + WalService.INSTANCE_PROPERTY
              + " or use WalService.create(instanceId) to tell them apart");
    }
  }

  /** Unregisters {@code n} if this service registered it. */
  synchronized void unregister(ObjectName n) {
    if (registered.remove(n)) {
      unregisterQuietly(n);
    }
  }

  /** Unregisters every MBean this service registered. */
  synchronized void unregisterAll() {
    registered.forEach(this::unregisterQuietly);
    registered.clear();
  }

  private void unregisterQuietly(ObjectName n) {
    try {
      server.unregisterMBean(n);
    } catch (InstanceNotFoundException e) {
      // someone else removed it
    } catch (JMException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot unregister " + n, e);
    }
  }
}
