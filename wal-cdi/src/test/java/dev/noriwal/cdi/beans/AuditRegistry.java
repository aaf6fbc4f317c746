package dev.noriwal.cdi.beans;

import dev.noriwal.Wal;
import dev.noriwal.cdi.Durable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** An EJB-style singleton: a pseudo-scoped bean, not proxied; method injection. */
@Singleton
public class AuditRegistry {
  private Wal wal;

  @Inject
  void setWal(@Durable("audit") Wal wal) {
    this.wal = wal;
  }

  public Wal wal() {
    return wal;
  }
}
