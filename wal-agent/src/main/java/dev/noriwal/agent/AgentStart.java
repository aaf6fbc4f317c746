package dev.noriwal.agent;

import java.lang.instrument.Instrumentation;
import org.jspecify.annotations.Nullable;

/** Called reflectively by {@link WalAgent} on the bootstrap copy of the agent. Not an API. */
public final class AgentStart {
  private AgentStart() {}

  /**
   * Parses the options and installs the agent.
   *
   * @param agentJar the agent's jar, now on the bootstrap class path (the advice's class file is
   *     read from it), or null when the agent runs from the application class path
   */
  public static void start(
      String args, Instrumentation inst, boolean attach, @Nullable String agentJar)
      throws java.io.IOException {
    AgentRuntime.install(inst, AgentOptions.parse(args), attach, agentJar);
  }
}
