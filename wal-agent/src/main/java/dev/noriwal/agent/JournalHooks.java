package dev.noriwal.agent;

import dev.noriwal.Wal;
import dev.noriwal.jmx.WalService;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JournalCodecException;
import dev.noriwal.journal.JsonInvocationCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What the inlined {@link JournalAdvice} calls. Public because instrumented application classes
 * call it; not an API. Only JDK types cross its signatures, so application class loaders need to
 * see just this package (on WildFly: {@code JBOSS_MODULES_SYSTEM_PKGS=dev.noriwal.agent}).
 *
 * <p>Policy: the invocation record is written before the method body runs and {@link #enter}
 * returns only after {@link Wal#append} returned. If it cannot be written (log not open, append
 * failed, argument not encodable) the call is refused with an unchecked exception, so a journaled
 * method never runs unjournaled; the refusal is counted. A completion or failure record that cannot
 * be written is counted and reported, and the call's own outcome is kept.
 *
 * <p>Thread-safe.
 */
public final class JournalHooks {
  private static final AgentRuntime RUNTIME = AgentRuntime.INSTANCE;

  /** Log name per method, cached per class so class loaders can still be collected. */
  private static final ClassValue<Map<Method, String>> LOG_NAMES =
      new ClassValue<>() {
        @Override
        protected Map<Method, String> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  private JournalHooks() {}

  /** Writes the invocation record; returns its id. Throws (refusing the call) if it cannot. */
  public static String enter(Method method, Object[] args) {
    String log =
        LOG_NAMES.get(method.getDeclaringClass()).computeIfAbsent(method, JournalHooks::logName);
    try {
      RUNTIME.ensureStarted();
      Wal wal = WalService.get().find(log).orElse(null);
      if (wal == null) {
        throw new IllegalStateException(
            "nori-wal agent: log '"
                + log
                + "' is not open ("
                + stateOf(log)
                + "); refusing "
                + method.getDeclaringClass().getName()
                + "."
                + Journal.signature(method)
                + " so it does not run unjournaled");
      }
      String id =
          Journal.begin(
              wal, JsonInvocationCodec.instance(), method.getDeclaringClass(), method, args);
      RUNTIME.journaled.incrementAndGet();
      return id;
    } catch (IOException e) {
      RUNTIME.refused.incrementAndGet();
      throw new UncheckedIOException(
          "nori-wal agent: cannot journal "
              + Journal.signature(method)
              + " into log '"
              + log
              + "': "
              + e.getMessage(),
          e);
    } catch (JournalCodecException | IllegalStateException e) {
      RUNTIME.refused.incrementAndGet();
      throw e;
    }
  }

  /** Writes the completion or failure record of call {@code id}; never throws. */
  public static void exit(
      @Nullable String id, Method method, @Nullable Object result, @Nullable Throwable thrown) {
    if (id == null) {
      return;
    }
    try {
      String log = LOG_NAMES.get(method.getDeclaringClass()).get(method);
      Wal wal =
          WalService.get()
              .find(log == null ? "" : log)
              .orElseThrow(() -> new IllegalStateException("log is no longer open"));
      if (thrown != null) {
        Journal.fail(wal, id, thrown);
      } else {
        Journal.complete(wal, JsonInvocationCodec.instance(), id, method, result);
      }
    } catch (IOException | RuntimeException | Error e) {
      RUNTIME.outcomeFailures.incrementAndGet();
      System.err.println(
          "[nori-wal agent] cannot journal the outcome of call "
              + id
              + " to "
              + Journal.signature(method)
              + ": "
              + e);
    }
  }

  private static String stateOf(String log) {
    try {
      return WalService.get().state(log)
          + WalService.get().failureOf(log).map(t -> ": " + t).orElse("");
    } catch (IllegalArgumentException e) {
      return "not configured: add log." + log + ".dir=... to the agent options";
    }
  }

  /** The value() of the method's annotation whose simple name is Journaled. */
  static String logName(Method m) {
    for (Annotation a : m.getAnnotations()) {
      if (a.annotationType().getSimpleName().equals("Journaled")) {
        try {
          Method value = a.annotationType().getMethod("value");
          value.trySetAccessible();
          return String.valueOf(value.invoke(a));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(
              "@Journaled on " + m + " has no readable String value()", e);
        }
      }
    }
    throw new IllegalStateException(m + " is instrumented but carries no @Journaled");
  }
}
