package dev.noriwal.cdi;

import dev.noriwal.CorruptLogException;
import dev.noriwal.Wal;
import dev.noriwal.WalState;
import dev.noriwal.WalStats;
import dev.noriwal.jmx.WalService;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * MicroProfile Health for one log of the deployment, named {@code nori-wal-<log>}. Registered twice
 * per log (readiness and liveness) by {@link HealthChecks}, only where the container has
 * MicroProfile Health.
 *
 * <ul>
 *   <li><b>Readiness</b>: UP while the log is open, with its state, directory, current and durable
 *       positions; DOWN when it is closed or failed (also when it failed to reopen, say after an
 *       operator's {@code recover} met damage), and then the failure names the file and offset when
 *       the cause was damage on disk.
 *   <li><b>Liveness</b>: DOWN only when the log has failed (fenced after a write or force error, or
 *       closed on damage): appends cannot succeed again in this process, and a restart runs
 *       recovery. A closed log (shutting down) is not a liveness problem.
 * </ul>
 *
 * Thread-safe.
 */
final class LogHealthCheck implements HealthCheck {
  enum Kind {
    READINESS,
    LIVENESS
  }

  private final String log;
  private final Kind kind;
  private final WalDeployment deployment;

  LogHealthCheck(String log, Kind kind, WalDeployment deployment) {
    this.log = log;
    this.kind = kind;
    this.deployment = deployment;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder r = HealthCheckResponse.named("nori-wal-" + log);
    Optional<Wal> open = deployment.openWal(log);
    if (open.isEmpty()) {
      return notOpen(r);
    }
    Wal wal = open.get();
    WalState state = wal.state();
    r.withData("state", state.name()).withData("directory", wal.config().directory().toString());
    switch (state) {
      case OPEN -> {
        WalStats stats = wal.stats();
        r.up()
            .withData("position", stats.currentPosition().toString())
            .withData("durablePosition", stats.durablePosition().toString());
      }
      case FAILED -> {
        r.down();
        wal.failure().ifPresent(t -> describe(r, t));
      }
      default -> r.status(kind == Kind.LIVENESS);
    }
    return r.build();
  }

  /**
   * A log registered but not open: closed, or FAILED because it could not be (re)opened, e.g. an
   * operator's {@code recover} that met damage. The service still knows why.
   */
  private HealthCheckResponse notOpen(HealthCheckResponseBuilder r) {
    WalService service = deployment.service();
    if (!service.names().contains(log)) {
      return r.status(kind == Kind.LIVENESS).withData("state", "NOT_OPEN").build();
    }
    WalState state = service.state(log);
    r.withData("state", state.name())
        .withData("directory", service.configOf(log).directory().toString());
    if (state == WalState.FAILED) {
      r.down();
      service.failureOf(log).ifPresent(t -> describe(r, t));
    } else {
      r.status(kind == Kind.LIVENESS);
    }
    return r.build();
  }

  private static void describe(HealthCheckResponseBuilder r, Throwable failure) {
    r.withData("failure", failure.toString());
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CorruptLogException c) {
        r.withData("file", c.segment()).withData("offset", c.offset());
        return;
      }
    }
  }
}
