package dev.noriwal.agent.hooks;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * The one agent class that application code meets: the advice inlined into {@code @Journaled}
 * methods calls {@link #enter} and {@link #exit}. Only JDK types cross it, and it lives in a
 * package of its own so that servers with isolated class loaders can expose just this package to
 * their deployments (WildFly: {@code JBOSS_MODULES_SYSTEM_PKGS=...,dev.noriwal.agent.hooks}); the
 * agent puts its jar on the bootstrap class path before anything loads this class, so there is one
 * copy per JVM. Not an API.
 *
 * <p>Until the agent has installed its journal (or when it failed to start), {@link #enter} refuses
 * the call: a journaled method never runs unjournaled. Thread-safe.
 */
public final class JournalHooks {

  /** What the agent does for each call: write the invocation, then its outcome. */
  public interface Journal {
    /**
     * Writes the invocation record into {@code log} and returns its id; throws to refuse the call.
     */
    String enter(String log, Method method, Object[] args);

    /** Writes the completion or failure record of call {@code id}; never throws. */
    void exit(
        String id, String log, Method method, @Nullable Object result, @Nullable Throwable thrown);
  }

  private static volatile @Nullable Journal journal;
  private static volatile String notRunning = "the nori-wal agent has not started";

  private JournalHooks() {}

  /** Called once by the agent when it is ready to journal. */
  public static void install(Journal j) {
    journal = j;
  }

  /** Called by the agent when it could not start, so refusals say why. */
  public static void notRunning(String why) {
    notRunning = why;
  }

  public static String enter(String log, Method method, Object[] args) {
    Journal j = journal;
    if (j == null) {
      throw new IllegalStateException(
          notRunning
              + "; refusing "
              + method.getDeclaringClass().getName()
              + "."
              + method.getName()
              + " so it does not run unjournaled");
    }
    return j.enter(log, method, args);
  }

  public static void exit(
      @Nullable String id,
      String log,
      Method method,
      @Nullable Object result,
      @Nullable Throwable thrown) {
    Journal j = journal;
    if (j != null && id != null) {
      j.exit(id, log, method, result, thrown);
    }
  }
}
