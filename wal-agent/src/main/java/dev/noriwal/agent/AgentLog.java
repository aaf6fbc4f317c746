package dev.noriwal.agent;

import java.lang.System.Logger.Level;

/**
 * The agent's messages, through the platform logger {@code dev.noriwal.agent}: on WildFly they
 * reach {@code server.log} (jboss-modules installs the server's log manager before it runs agents
 * given in {@code MODULE_OPTS}), on other servers their logging, on a plain JVM the JDK's console
 * handler. The logger is looked up at the first message, never earlier.
 */
final class AgentLog {
  private AgentLog() {}

  private static final class Holder {
    static final System.Logger LOG = System.getLogger("dev.noriwal.agent");
  }

  static void info(String message) {
    Holder.LOG.log(Level.INFO, "nori-wal agent: " + message);
  }

  static void warn(String message) {
    Holder.LOG.log(Level.WARNING, "nori-wal agent: " + message);
  }
}
