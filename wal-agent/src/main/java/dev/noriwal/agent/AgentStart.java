package dev.noriwal.agent;

import java.lang.instrument.Instrumentation;

/** Called reflectively by {@link WalAgent} on the bootstrap copy of the agent. Not an API. */
public final class AgentStart {
  private AgentStart() {}

  public static void start(String args, Instrumentation inst, boolean attach) {
    AgentRuntime.install(inst, AgentOptions.parse(args), attach);
  }
}
