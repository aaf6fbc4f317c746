package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** Which WalService a deployment uses depends on who loaded wal-jmx. */
class ServiceChoiceTest {
  @Test
  void theJvmsOwnLoadersShareTheJvmWideService() {
    assertTrue(DeploymentLogs.loadedByTheJvm(null), "boot class path (the agent)");
    assertTrue(DeploymentLogs.loadedByTheJvm(ClassLoader.getSystemClassLoader()));
    assertTrue(DeploymentLogs.loadedByTheJvm(ClassLoader.getPlatformClassLoader()));
  }

  @Test
  void aDeploymentsOwnLoaderGetsItsOwnService() throws Exception {
    try (URLClassLoader war = new URLClassLoader(new URL[0], ClassLoader.getSystemClassLoader())) {
      assertFalse(DeploymentLogs.loadedByTheJvm(war));
    }
  }
}
