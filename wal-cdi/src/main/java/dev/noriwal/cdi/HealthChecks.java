package dev.noriwal.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import java.util.Collection;
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

  /** CDI Full. */
  static void register(AfterBeanDiscovery abd, Collection<String> logs, WalDeployment d) {
    for (String log : logs) {
      abd.addBean()
          .beanClass(LogHealthCheck.class)
          .types(HealthCheck.class, Object.class)
          .qualifiers(Readiness.Literal.INSTANCE)
          .scope(ApplicationScoped.class)
          .id(LogHealthCheck.class.getName() + "#readiness#" + log)
          .createWith(c -> new LogHealthCheck(log, LogHealthCheck.Kind.READINESS, d));
      abd.addBean()
          .beanClass(LogHealthCheck.class)
          .types(HealthCheck.class, Object.class)
          .qualifiers(Liveness.Literal.INSTANCE)
          .scope(ApplicationScoped.class)
          .id(LogHealthCheck.class.getName() + "#liveness#" + log)
          .createWith(c -> new LogHealthCheck(log, LogHealthCheck.Kind.LIVENESS, d));
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
