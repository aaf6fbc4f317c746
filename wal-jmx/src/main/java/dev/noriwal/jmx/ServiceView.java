package dev.noriwal.jmx;

import dev.noriwal.WalConfig;
import dev.noriwal.WalState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The Service MXBean of a {@link WalService}, kept off the service's own API. Thread-safe. */
final class ServiceView implements ServiceMXBean {
  private final WalService service;

  ServiceView(WalService service) {
    this.service = service;
  }

  @Override
  public String getInstance() {
    return service.instanceId().orElse("");
  }

  @Override
  public String getVersion() {
    return WalService.version();
  }

  @Override
  public String[] getLogNames() {
    return service.names().toArray(new String[0]);
  }

  @Override
  public Map<String, String> getLogStates() {
    Map<String, String> m = new TreeMap<>();
    service.states().forEach((n, s) -> m.put(n, s.name()));
    return m;
  }

  @Override
  public int getOpenLogCount() {
    return (int) service.states().values().stream().filter(s -> s == WalState.OPEN).count();
  }

  @Override
  public int getFailedLogCount() {
    return (int) service.states().values().stream().filter(s -> s == WalState.FAILED).count();
  }

  @Override
  public String open(String name, String directory) {
    WalConfig cfg = service.configFor(name, Path.of(directory));
    try {
      service.open(name, cfg);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "open of log '" + name + "' failed: " + ManagedLog.describe(e));
    }
    return service.state(name).name();
  }

  @Override
  public void close(String name) {
    try {
      service.close(name);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "close of log '" + name + "' failed: " + ManagedLog.describe(e));
    }
  }

  @Override
  public void closeAll() {
    try {
      service.closeAll();
    } catch (IOException e) {
      throw new IllegalStateException("closeAll failed: " + ManagedLog.describe(e));
    }
  }
}
