package dev.noriwal.agent;

import dev.noriwal.jmx.Description;

/** Management view of the agent, registered as {@code dev.noriwal:type=Agent}. */
@Description("The nori-wal agent: options, start-up problems and journaling counters")
public interface AgentMXBean {
  @Description("The option string the agent was started with")
  String getOptions();

  @Description(
      "Problems met while starting: bad options, logs that failed to open,"
          + " instrumentation errors")
  String[] getProblems();

  @Description(
      "True when the agent was attached to a running JVM rather than started with" + " -javaagent")
  boolean isAttached();

  @Description("Classes whose @Journaled methods were instrumented")
  long getInstrumentedTypes();

  @Description("Calls whose invocation record was written")
  long getInvocationsJournaled();

  @Description(
      "Calls refused (the method did not run) because their invocation record could not"
          + " be written: log not open, append failed, or an argument the codec cannot encode")
  long getInvocationsRefused();

  @Description("Completion or failure records that could not be written (the call itself went on)")
  long getOutcomeFailures();
}
