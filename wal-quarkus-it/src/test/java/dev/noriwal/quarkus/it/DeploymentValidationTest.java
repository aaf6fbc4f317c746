package dev.noriwal.quarkus.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.noriwal.quarkus.it.invalid.BadNames;
import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Under Quarkus a misplaced @Journaled fails the build with the same numbered message as on
 * WildFly.
 */
class DeploymentValidationTest {
  @RegisterExtension
  static final QuarkusUnitTest app =
      new QuarkusUnitTest()
          .withApplicationRoot(jar -> jar.addClasses(BadNames.class))
          .overrideConfigKey("quarkus.arc.exclude-types", "none.at.all.**")
          .assertException(
              t -> {
                StringBuilder chain = new StringBuilder();
                for (Throwable c = t; c != null; c = c.getCause()) {
                  chain.append(c).append('\n');
                }
                assertTrue(chain.toString().contains("NORIWAL-CDI-003"), chain.toString());
                assertTrue(chain.toString().contains("BadNames#act"), chain.toString());
              });

  @Test
  void anInvalidJournalNameFailsTheBuildWithItsNumberedMessage() {
    fail("the application must not start");
  }
}
