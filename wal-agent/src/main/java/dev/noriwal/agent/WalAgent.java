package dev.noriwal.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.jar.JarFile;
import org.jspecify.annotations.Nullable;

/**
 * Entry point of {@code wal-agent-<version>.jar}: {@code premain} for {@code -javaagent:} and
 * {@code agentmain} for attaching to a running JVM.
 *
 * <pre>
 * java -javaagent:wal-agent-0.1.0-SNAPSHOT.jar=\
 * nori.wal.orders.directory=/var/wal/orders,nori.wal.orders.fsync=always -jar app.jar
 * </pre>
 *
 * Options are described in {@link AgentOptions}. Start-up never throws into the JVM (problems are
 * printed on stderr and listed in the {@code dev.noriwal:type=Agent} MBean) unless {@code
 * failFast=true}.
 *
 * <p>Class loading: this class appends its own jar to the bootstrap class path first and then hands
 * over to the bootstrap copy of the agent, so the service, the engine and {@link JournalHooks} are
 * one JVM-wide copy visible from every class loader (required on servers whose loaders do not
 * delegate to the system class loader; WildFly additionally needs the hook package in {@code
 * JBOSS_MODULES_SYSTEM_PKGS}). It references no other agent class directly.
 */
public final class WalAgent {
  private WalAgent() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  private static void start(String args, Instrumentation inst, boolean attach) {
    boolean failFast = args != null && args.replace(" ", "").contains("failFast=true");
    try {
      @Nullable ClassLoader loader = null;
      @Nullable String jar = null;
      try {
        File file = agentJar();
        inst.appendToBootstrapClassLoaderSearch(new JarFile(file));
        jar = file.getPath();
      } catch (Exception e) {
        // Not loaded from a jar (tests) or not appendable: run from this loader instead.
        loader = WalAgent.class.getClassLoader();
        log(System.Logger.Level.WARNING, "running from the application class path: " + e);
      }
      Class<?> starter = Class.forName("dev.noriwal.agent.AgentStart", true, loader);
      Method m =
          starter.getMethod(
              "start", String.class, Instrumentation.class, boolean.class, String.class);
      m.invoke(null, args, inst, attach, jar);
    } catch (Throwable t) {
      Throwable cause =
          t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
      String why = "the nori-wal agent failed to start: " + cause;
      log(System.Logger.Level.ERROR, why + "; the application continues without it");
      tellHooks(why);
      if (failFast) {
        throw new IllegalStateException("nori-wal agent failed to start (failFast=true)", cause);
      }
    }
  }

  private static void log(System.Logger.Level level, String message) {
    System.getLogger("dev.noriwal.agent").log(level, "nori-wal agent: " + message);
  }

  /** So that journaled calls, refused from now on, say why (the hooks are on the boot path). */
  private static void tellHooks(String why) {
    try {
      Class.forName("dev.noriwal.agent.hooks.JournalHooks", true, null)
          .getMethod("notRunning", String.class)
          .invoke(null, why);
    } catch (ReflectiveOperationException | LinkageError e) {
      // The jar never reached the boot class path: no instrumented class can call the hooks.
    }
  }

  private static File agentJar() throws Exception {
    URL url = WalAgent.class.getProtectionDomain().getCodeSource().getLocation();
    String s = url.toString();
    // jboss-modules reports "jar:file:/path/agent.jar!/"
    if (s.startsWith("jar:")) {
      s = s.substring(4, s.indexOf("!/") > 0 ? s.indexOf("!/") : s.length());
    }
    File f = new File(new URL(s).toURI());
    if (!f.isFile()) {
      throw new IllegalStateException("agent code source is not a jar: " + f);
    }
    return f;
  }
}
