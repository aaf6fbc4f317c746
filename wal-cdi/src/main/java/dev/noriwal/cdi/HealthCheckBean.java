package dev.noriwal.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.PassivationCapable;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jspecify.annotations.Nullable;

/**
 * One {@link LogHealthCheck} as a CDI Full bean whose bean class is an application class that uses
 * the log. A bean object, not {@code AfterBeanDiscovery.addBean()}'s configurator, because Weld
 * files an added bean object under the bean archive of its bean class, while a configurator's bean
 * stays in the archive of the extension that added it: see {@link HealthChecks#register}.
 *
 * <p>Immutable, thread-safe.
 */
final class HealthCheckBean implements Bean<HealthCheck>, PassivationCapable {
  private final Class<?> beanClass;
  private final String log;
  private final LogHealthCheck.Kind kind;
  private final WalDeployment deployment;

  HealthCheckBean(
      Class<?> beanClass, String log, LogHealthCheck.Kind kind, WalDeployment deployment) {
    this.beanClass = beanClass;
    this.log = log;
    this.kind = kind;
    this.deployment = deployment;
  }

  @Override
  public Class<?> getBeanClass() {
    return beanClass;
  }

  @Override
  public Set<InjectionPoint> getInjectionPoints() {
    return Set.of();
  }

  @Override
  public HealthCheck create(CreationalContext<HealthCheck> context) {
    return new LogHealthCheck(log, kind, deployment);
  }

  @Override
  public void destroy(HealthCheck instance, CreationalContext<HealthCheck> context) {
    context.release();
  }

  @Override
  public Set<Type> getTypes() {
    return Set.of(HealthCheck.class, Object.class);
  }

  @Override
  public Set<Annotation> getQualifiers() {
    Annotation probe =
        kind == LogHealthCheck.Kind.READINESS
            ? Readiness.Literal.INSTANCE
            : Liveness.Literal.INSTANCE;
    return Set.of(probe, Any.Literal.INSTANCE);
  }

  @Override
  public Class<? extends Annotation> getScope() {
    return ApplicationScoped.class;
  }

  @Override
  public @Nullable String getName() {
    return null;
  }

  @Override
  public Set<Class<? extends Annotation>> getStereotypes() {
    return Set.of();
  }

  @Override
  public boolean isAlternative() {
    return false;
  }

  @Override
  public String getId() {
    return LogHealthCheck.class.getName() + "#" + kind + "#" + log;
  }

  @Override
  public String toString() {
    return "nori-wal " + kind.name().toLowerCase(java.util.Locale.ROOT) + " check of log " + log;
  }
}
