package dev.noriwal.cdi.crash;

import dev.noriwal.cdi.JournalRecovery;
import dev.noriwal.cdi.PendingInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;

/** Prints each pending call as {@code PENDING <log> <method> <value:Type|...>}. */
@ApplicationScoped
public class RecoveryPrinter {

  void onRecovery(@Observes JournalRecovery recovery) {
    for (PendingInvocation p : recovery.pending()) {
      List<String> args = new ArrayList<>();
      for (Object a : p.arguments().orElseThrow()) {
        args.add(a + ":" + a.getClass().getSimpleName());
      }
      System.out.println(
          "PENDING " + recovery.log() + " " + p.method() + " " + String.join("|", args));
    }
    System.out.println("RECOVERED " + recovery.log() + " " + recovery.pending().size());
    System.out.flush();
  }
}
