package dev.noriwal.quarkus.it.invalid;

import dev.noriwal.cdi.Journaled;
import jakarta.enterprise.context.ApplicationScoped;

/** Mistakes the build must refuse, each with its numbered message. */
@ApplicationScoped
public class BadNames {
  @Journaled("not a log name!")
  public void act() {}
}
