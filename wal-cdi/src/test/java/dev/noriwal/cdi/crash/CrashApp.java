package dev.noriwal.cdi.crash;

import dev.noriwal.cdi.WalExtension;
import java.util.List;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * The application {@code JournalCrashIT} forks. {@code crash}: one journaled call that finishes,
 * then one that prints {@code IN-CALL} and blocks until the process is killed. {@code recover}:
 * just starts and stops (the {@link RecoveryPrinter} prints what recovery found). Configured by the
 * system properties the test passes ({@code nori.wal.base-dir}, {@code nori.wal.transfers.fsync}).
 */
public final class CrashApp {
  private CrashApp() {}

  public static void main(String[] args) throws Exception {
    Weld weld =
        new Weld()
            .disableDiscovery()
            .addExtension(new WalExtension())
            .addBeanClasses(Transfers.class, RecoveryPrinter.class);
    try (WeldContainer c = weld.initialize()) {
      if (args.length > 0 && args[0].equals("crash")) {
        Transfers transfers = c.select(Transfers.class).get();
        transfers.transfer("acct-1", 10L, List.of("settled"));
        transfers.transferAndHang("acct-7", 1250L, List.of("urgent", "eu"));
      }
      System.out.println("DONE");
    }
  }
}
