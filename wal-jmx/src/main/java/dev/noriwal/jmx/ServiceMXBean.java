package dev.noriwal.jmx;

import java.util.Map;

/**
 * Management view of a {@link WalService}, registered as {@code
 * dev.noriwal:type=Service[,instance=<id>]}.
 */
@Description("The nori-wal service: every log of this JVM (or deployment) and its state")
public interface ServiceMXBean {

  @Description("Instance id of this service (empty for the JVM-wide service)")
  String getInstance();

  @Description("Version of wal-jmx")
  String getVersion();

  @Description("Names of all registered logs, open or not")
  String[] getLogNames();

  @Description("State of every registered log: OPEN, FAILED or CLOSED")
  Map<String, String> getLogStates();

  @Description("Number of open logs")
  int getOpenLogCount();

  @Description("Number of logs that failed to open or stopped after an I/O error")
  int getFailedLogCount();

  @Description(
      "Opens a log (defaults for everything but the directory), or reopens a closed one;"
          + " returns its state")
  String open(
      @Description("Name of the log") String name,
      @Description("Directory of the log; created if missing") String directory);

  @Description("Closes a log; its MBean stays registered in state CLOSED")
  void close(@Description("Name of the log") String name);

  @Description("Closes every log")
  void closeAll();
}
