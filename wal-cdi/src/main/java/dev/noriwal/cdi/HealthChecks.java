package dev.noriwal.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import java.util.Collection;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Registers a readiness and a liveness {@link LogHealthCheck} per log of the deployment, from the
 * portable extension or from the build compatible one. Loaded only after {@link #available} said
 * the container has MicroProfile Health, since this class links against its API.
 */
final class HealthChecks {
  static final String API = "org.eclipse.microprofile.health.HealthCheck";

  private HealthChecks() {}

  static boolean available(ClassLoader loader) {
    try {
      Class.forName(API, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * CDI Full. Each check is a {@link HealthCheckBean} whose bean class is the first application
   * class that uses its log, so that it lives in that class's bean archive: a server's health
   * extension looks for checks only where it can see. On WildFly, a bean added with {@code
   * addBean()}'s configurator stays in the archive of the extension that added it, one WildFly
   * makes for this library jar (not a bean archive), which WildFly's own health extension, in a
   * server module, cannot see: the checks were registered and never listed. The application's own
   * archives it sees.
   */
  static void register(AfterBeanDiscovery abd, Map<String, Class<?>> logs, WalDeployment d) {
    for (Map.Entry<String, Class<?>> e : logs.entrySet()) {
      for (LogHealthCheck.Kind kind : LogHealthCheck.Kind.values()) {
        abd.addBean(new HealthCheckBean(e.getValue(), e.getKey(), kind, d));
      }
    }
  }

  /** CDI Lite. */
  static void register(SyntheticComponents components, Collection<String> logs) {
    for (String log : logs) {
      for (LogHealthCheck.Kind kind : LogHealthCheck.Kind.values()) {
        components
            .addBean(HealthCheck.class)
            .type(HealthCheck.class)
            .qualifier(kind == LogHealthCheck.Kind.READINESS ? Readiness.class : Liveness.class)
            // Tells the synthetic beans apart (a container identifies them by type and qualifiers).
            .qualifier(NamedLiteral.of("nori-wal-" + log))
            .scope(ApplicationScoped.class)
            .withParam("log", log)
            .withParam("kind", kind.name())
            .createWith(Creator.class);
      }
    }
  }

  /** Builds a check at run time for CDI Lite's synthetic bean. */
  public static final class Creator implements SyntheticBeanCreator<HealthCheck> {
    @Override
    public HealthCheck create(Instance<Object> lookup, Parameters params) {
      return new LogHealthCheck(
          params.get("log", String.class),
          LogHealthCheck.Kind.valueOf(params.get("kind", String.class)),
          lookup.select(WalDeployment.class).get());
    }
  }
}
