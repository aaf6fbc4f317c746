package dev.noriwal.quarkus.it;

import dev.noriwal.cdi.JournalRecovery;
import dev.noriwal.cdi.PendingInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the start-up recovery event reported, as an application would act on it. */
@ApplicationScoped
public class RecoveryLog {
  private final List<String> seen = new CopyOnWriteArrayList<>();

  void onRecovery(@Observes JournalRecovery recovery) {
    for (PendingInvocation p : recovery.pending()) {
      seen.add(
          recovery.log()
              + " "
              + p.method()
              + " "
              + p.arguments().map(Arrays::toString).orElse("?"));
    }
  }

  public List<String> seen() {
    return List.copyOf(seen);
  }
}
