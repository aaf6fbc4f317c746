package dev.noriwal.cdi.beans;

import dev.noriwal.cdi.JournalRecovery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every recovery event it observes (static: it outlives the container under test). */
@ApplicationScoped
public class RecoveryLog {
  public static final List<JournalRecovery> EVENTS = new CopyOnWriteArrayList<>();

  void onRecovery(@Observes JournalRecovery recovery) {
    EVENTS.add(recovery);
  }
}
