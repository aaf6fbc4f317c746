package dev.noriwal.cdi;

import dev.noriwal.Wal;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;
import java.lang.annotation.Annotation;

/**
 * Serves every {@code @Durable("name") Wal} injection point with one {@code @Dependent} producer:
 * the name is {@code @Nonbinding}, so it is read from the injection point. The log itself is the
 * shared instance in {@code WalService}, not a new one per injection.
 */
@Dependent
class WalProducer {
  private final WalDeployment deployment;

  @Inject
  WalProducer(WalDeployment deployment) {
    this.deployment = deployment;
  }

  @Produces
  @Dependent
  @Durable("")
  Wal wal(InjectionPoint injectionPoint) {
    String name = null;
    for (Annotation a : injectionPoint.getQualifiers()) {
      if (a instanceof Durable d) {
        name = d.value();
      }
    }
    if (name == null) {
      throw new IllegalStateException("no @Durable qualifier at " + injectionPoint);
    }
    return deployment.wal(name);
  }

  /**
   * The {@code WalService} holding this deployment's logs: the JVM-wide one, or the deployment's
   * own when the deployment carries wal-jmx (see {@link WalDeployment#service()}). Inject it to
   * show MBean names or manage logs; do not shut it down.
   */
  @Produces
  @Dependent
  dev.noriwal.jmx.WalService walService() {
    return deployment.service();
  }
}
