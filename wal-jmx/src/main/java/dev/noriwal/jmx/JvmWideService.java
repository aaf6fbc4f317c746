package dev.noriwal.jmx;

import java.lang.management.ManagementFactory;
import org.jspecify.annotations.Nullable;

/**
 * The JVM-wide {@link WalService} behind {@link WalService#get()}: created on first use in the
 * platform MBean server (instance key from {@value WalService#INSTANCE_PROPERTY}, if set), with a
 * shutdown hook that closes its logs when the JVM exits; after its {@link WalService#shutdown()}
 * the next {@code get()} creates a fresh one. Thread-safe.
 */
final class JvmWideService {
  private static final Object LOCK = new Object();
  private static @Nullable WalService current; // guarded by LOCK
  private static @Nullable Thread hook; // guarded by LOCK

  private JvmWideService() {}

  static WalService get() {
    synchronized (LOCK) {
      WalService s = current;
      if (s == null) {
        String id = System.getProperty(WalService.INSTANCE_PROPERTY);
        s =
            new WalService(
                id == null || id.isBlank() ? null : id.trim(),
                ManagementFactory.getPlatformMBeanServer());
        Thread h = new Thread(s::shutdown, "nori-wal-shutdown");
        Runtime.getRuntime().addShutdownHook(h);
        hook = h;
        current = s;
      }
      return s;
    }
  }

  /** Called by {@code s.shutdown()}: if {@code s} is the JVM-wide service, drop it and its hook. */
  static void forget(WalService s) {
    synchronized (LOCK) {
      if (current != s) {
        return;
      }
      Thread h = hook;
      if (h != null && Thread.currentThread() != h) {
        try {
          Runtime.getRuntime().removeShutdownHook(h);
        } catch (IllegalStateException e) {
          // the JVM is already shutting down
        }
      }
      hook = null;
      current = null;
    }
  }
}
