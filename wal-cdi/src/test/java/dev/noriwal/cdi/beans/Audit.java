package dev.noriwal.cdi.beans;

import dev.noriwal.Wal;
import dev.noriwal.cdi.Durable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

@Dependent
public class Audit {
  @Inject
  @Durable("audit")
  public Wal wal;
}
