package dev.noriwal.quarkus.it;

import dev.noriwal.Wal;
import dev.noriwal.cdi.Durable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** A log the health test may break on purpose. */
@ApplicationScoped
public class Scratch {
  @Inject
  @Durable("scratch")
  Wal wal;

  public Wal wal() {
    return wal;
  }
}
