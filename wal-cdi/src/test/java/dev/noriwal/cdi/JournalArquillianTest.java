package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.noriwal.cdi.beans.Ledger;
import dev.noriwal.cdi.beans.RecoveryLog;
import dev.noriwal.journal.Completion;
import dev.noriwal.journal.Invocation;
import dev.noriwal.journal.JournalEntry;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The extension registered the way an application server finds it (a service provider in the
 * deployment), deployed by Arquillian into the embedded Weld container.
 */
@ExtendWith(ArquillianExtension.class)
class JournalArquillianTest {

  // Arquillian deploys before any @BeforeAll runs, so the log directory is set at class loading.
  static {
    TestLogs.set(
        "ledger",
        "directory",
        Path.of(System.getProperty("nori.wal.base-dir"), "arquillian-" + UUID.randomUUID())
            .toString());
    TestLogs.set("ledger", "fsync", "always");
  }

  @Deployment
  static JavaArchive deployment() {
    return ShrinkWrap.create(JavaArchive.class, "journal-test.jar")
        .addClasses(Ledger.class, Ledger.Exploding.class, RecoveryLog.class)
        .addAsServiceProvider(Extension.class, WalExtension.class)
        .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
  }

  @Inject Ledger ledger;

  @AfterAll
  static void clear() {
    TestLogs.clear("ledger");
  }

  @Test
  void journaledCallInADeployedArchiveWritesInvocationThenCompletion() {
    assertEquals(1, RecoveryLog.EVENTS.size(), "recovery fired once at deployment");
    assertEquals(List.of(), RecoveryLog.EVENTS.get(0).pending());

    List<String> seenInside = ledger.post("acct-arq", 42);

    assertEquals(List.of("post(java.lang.String,long) [\"acct-arq\",42]"), seenInside);
    List<JournalEntry> entries = TestLogs.entries(ledger.wal());
    assertEquals(2, entries.size(), entries.toString());
    Invocation inv = assertInstanceOf(Invocation.class, entries.get(0));
    assertEquals(
        inv.invocationId(), assertInstanceOf(Completion.class, entries.get(1)).invocationId());
  }
}
