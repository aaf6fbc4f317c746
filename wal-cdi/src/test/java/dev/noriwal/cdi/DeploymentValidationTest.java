package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.Wal;
import dev.noriwal.jmx.WalService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each invalid use fails the deployment with a {@link DeploymentException} and a numbered message.
 */
class DeploymentValidationTest {
  @TempDir static Path dir;

  @BeforeAll
  static void configure() {
    TestLogs.directories(dir, "bad", "left");
    // "right" shares "left"'s directory.
    System.setProperty("nori.wal.right.directory", dir.resolve("left").toString());
  }

  @AfterAll
  static void clear() {
    TestLogs.clear("bad", "left", "right");
  }

  @ApplicationScoped
  public static class PrivateJournaled {
    public void visible() {
      hidden();
    }

    @Journaled("bad")
    private void hidden() {}
  }

  @Dependent
  public static final class FinalJournaled {
    @Journaled("bad")
    public void run() {}
  }

  @Dependent
  public static class FinalMethodJournaled {
    @Journaled("bad")
    public final void run() {}
  }

  @Dependent
  public static class UnknownCodec {
    @Journaled(value = "bad", codec = "xml")
    public void run(String s) {}
  }

  @Dependent
  public static class ObjectParameter {
    @Journaled("bad")
    public void run(Object anything) {}
  }

  @Dependent
  public static class TwoLogsOneDirectory {
    @Inject
    @Durable("left")
    Wal left;

    @Inject
    @Durable("right")
    Wal right;
  }

  @Dependent
  public static class BadName {
    @Inject
    @Durable("../escape")
    Wal escape;
  }

  @Dependent
  public static class NotAWal {
    @Inject
    @Durable("bad")
    String notAWal;
  }

  @Dependent
  public static class Journaling {
    @Journaled("bad")
    public void run(String s) {}
  }

  @Dependent
  public static class FailingRecovery {
    void onRecovery(@jakarta.enterprise.event.Observes JournalRecovery recovery) {
      throw new IllegalStateException("cannot reconcile " + recovery.log());
    }
  }

  @Test
  void recoveryObserverThatThrowsFailsTheDeploymentAndReleasesTheLog() {
    assertDeploymentFails(
        "NORIWAL-CDI-013", "cannot reconcile bad", Journaling.class, FailingRecovery.class);
    // A failed deployment gets no BeforeShutdown: the extension closed and removed the log itself,
    // so its lock is free again.
    assertFalse(WalService.get().names().contains("bad"));
    assertFalse(
        java.lang.management.ManagementFactory.getPlatformMBeanServer()
            .isRegistered(WalService.get().logObjectName("bad")));
  }

  @Test
  void privateJournaledMethodIsRejected() {
    assertDeploymentFails("NORIWAL-CDI-004", "hidden", PrivateJournaled.class);
  }

  @Test
  void finalClassIsRejected() {
    assertDeploymentFails("NORIWAL-CDI-007", FinalJournaled.class.getName(), FinalJournaled.class);
  }

  @Test
  void finalMethodIsRejected() {
    assertDeploymentFails("NORIWAL-CDI-006", "run", FinalMethodJournaled.class);
  }

  @Test
  void unknownCodecIsRejected() {
    assertDeploymentFails("NORIWAL-CDI-008", "\"xml\"", UnknownCodec.class);
  }

  @Test
  void parameterTheJsonCodecCannotEncodeIsRejected() {
    assertDeploymentFails("NORIWAL-CDI-009", "java.lang.Object", ObjectParameter.class);
  }

  @Test
  void twoLogNamesOnOneDirectoryAreRejected() {
    assertDeploymentFails("NORIWAL-CDI-011", "[left, right]", TwoLogsOneDirectory.class);
  }

  @Test
  void invalidLogNameIsRejected() {
    assertDeploymentFails("NORIWAL-CDI-001", "../escape", BadName.class);
  }

  @Test
  void durableOnAnythingButWalIsADefinitionError() {
    // Reported while beans are defined: Weld's own validation would otherwise fail first with an
    // unsatisfied dependency that does not say why.
    DefinitionException e =
        assertThrows(DefinitionException.class, () -> TestLogs.weld(NotAWal.class).initialize());
    String messages = TestLogs.messages(e);
    assertTrue(messages.contains("NORIWAL-CDI-002"), messages);
    assertTrue(messages.contains("java.lang.String"), messages);
  }

  private static void assertDeploymentFails(String code, String detail, Class<?>... beans) {
    DeploymentException e =
        assertThrows(DeploymentException.class, () -> TestLogs.weld(beans).initialize());
    String messages = TestLogs.messages(e);
    assertTrue(messages.contains(code), messages);
    assertTrue(messages.contains(detail), messages);
  }
}
