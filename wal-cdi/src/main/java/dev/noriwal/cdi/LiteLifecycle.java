package dev.noriwal.cdi;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Shutdown;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.interceptor.Interceptor;
import java.util.List;

/**
 * CDI Lite's start and stop of a deployment's logs (added by {@link LiteExtension}; under CDI Full
 * the portable extension does this work and vetoes this bean): at {@link Startup}, before
 * application observers of it, the settings are validated, every log is opened and the recovery
 * events are fired; a problem fails the start with a {@link DeploymentException} listing all of
 * them. At {@link Shutdown} the logs are forced and closed.
 */
@ApplicationScoped
class LiteLifecycle {

  void start(
      @Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) Startup startup,
      WalDeployment deployment,
      Event<JournalRecovery> recovery,
      BeanManager beans) {
    List<String> problems =
        deployment.start(recovery::fire, e -> !beans.resolveObserverMethods(e).isEmpty());
    if (!problems.isEmpty()) {
      throw new DeploymentException(String.join("\n", problems));
    }
  }

  void stop(@Observes Shutdown shutdown, WalDeployment deployment) {
    deployment.shutdown();
  }
}
