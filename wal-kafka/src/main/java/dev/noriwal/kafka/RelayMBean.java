package dev.noriwal.kafka;

import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers a relay's {@link RelayMXBean} with descriptions (JConsole shows them instead of method
 * names). Thread-safe.
 */
final class RelayMBean extends StandardMBean implements RelayMXBean {
  private static final Map<String, String> DESCRIPTIONS =
      Map.ofEntries(
          Map.entry(
              "State",
              "CONNECTING, RUNNING, PAUSED, BACKING_OFF (broker unreachable, retrying),"
                  + " MISCONFIGURED (topic missing or access denied, retrying), STOPPED (see LastError),"
                  + " CLOSED"),
          Map.entry(
              "PublishedPosition",
              "Log position (SEGMENT:OFFSET) up to which records are committed to Kafka"),
          Map.entry("LagBytes", "Log bytes appended and not yet committed to Kafka"),
          Map.entry(
              "LagRecords",
              "Log records appended and not yet committed to Kafka; -1 until the relay has once caught up with the log"),
          Map.entry("RecordsPublished", "Records committed to Kafka since the relay started"),
          Map.entry(
              "TransactionsCommitted", "Kafka transactions committed since the relay started"),
          Map.entry(
              "TransactionsAborted",
              "Kafka transactions aborted or of unknown outcome (republished) since the relay started"),
          Map.entry("LastError", "The latest failure, one line; empty when none"),
          Map.entry("Topic", "The Kafka topic the log is published to"),
          Map.entry(
              "TransactionalId",
              "The producer's transactional.id; a second relay with it fences this one"),
          Map.entry("BootstrapServers", "The Kafka cluster"),
          Map.entry(
              "pause", "Finish the transaction in progress and publish nothing more until resume"),
          Map.entry("resume", "Publish again after pause"));

  private final KafkaRelay relay;
  private final ObjectName name;

  private RelayMBean(KafkaRelay relay, ObjectName name) {
    super(RelayMXBean.class, true);
    this.relay = relay;
    this.name = name;
  }

  static ObjectName objectName(String relayName) {
    try {
      return new ObjectName("dev.noriwal:type=Relay,name=" + relayName);
    } catch (JMException e) {
      // Names with , = : " * ? need quoting; plain log names stay as they are.
    }
    try {
      return new ObjectName("dev.noriwal:type=Relay,name=" + ObjectName.quote(relayName));
    } catch (JMException e) {
      throw new IllegalArgumentException("relay name cannot be an MBean name: " + relayName, e);
    }
  }

  static RelayMBean register(KafkaRelay relay) {
    ObjectName n = objectName(relay.settings().name());
    RelayMBean bean = new RelayMBean(relay, n);
    try {
      ManagementFactory.getPlatformMBeanServer().registerMBean(bean, n);
    } catch (JMException e) {
      throw new IllegalStateException(
          "cannot register "
              + n
              + " (is a relay of that name running"
              + " in this JVM?): "
              + e.getMessage(),
          e);
    }
    return bean;
  }

  void unregister() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      server.unregisterMBean(name);
    } catch (InstanceNotFoundException e) {
      // Already gone: close() is idempotent.
    } catch (JMException e) {
      throw new IllegalStateException("cannot unregister " + name, e);
    }
  }

  @Override
  protected String getDescription(MBeanInfo info) {
    return "A relay publishing a nori-wal log to Kafka, exactly once ("
        + relay.settings().name()
        + " -> "
        + relay.settings().topic()
        + ")";
  }

  @Override
  protected String getDescription(MBeanAttributeInfo info) {
    return DESCRIPTIONS.getOrDefault(info.getName(), info.getDescription());
  }

  @Override
  protected String getDescription(MBeanOperationInfo info) {
    return DESCRIPTIONS.getOrDefault(info.getName(), info.getDescription());
  }

  @Override
  protected int getImpact(MBeanOperationInfo info) {
    return MBeanOperationInfo.ACTION;
  }

  @Override
  public String getState() {
    return relay.status().state().name();
  }

  @Override
  public String getPublishedPosition() {
    var p = relay.status().published();
    return p == null ? "" : p.toString();
  }

  @Override
  public long getLagBytes() {
    return relay.status().lagBytes();
  }

  @Override
  public long getLagRecords() {
    return relay.status().lagRecords();
  }

  @Override
  public long getRecordsPublished() {
    return relay.status().recordsPublished();
  }

  @Override
  public long getTransactionsCommitted() {
    return relay.status().transactionsCommitted();
  }

  @Override
  public long getTransactionsAborted() {
    return relay.status().transactionsAborted();
  }

  @Override
  public String getLastError() {
    String e = relay.status().lastError();
    return e == null ? "" : e;
  }

  @Override
  public String getTopic() {
    return relay.settings().topic();
  }

  @Override
  public String getTransactionalId() {
    return relay.settings().transactionalId();
  }

  @Override
  public String getBootstrapServers() {
    return relay.settings().bootstrapServers();
  }

  @Override
  public void pause() {
    relay.pause();
  }

  @Override
  public void resume() {
    relay.resume();
  }
}
