package dev.noriwal.cdi.beans;

import dev.noriwal.cdi.Journaled;
import jakarta.enterprise.context.Dependent;
import java.math.BigDecimal;

/** Every business method journaled through the class-level binding, with the JSON-B codec. */
@Dependent
@Journaled(value = "tariffs", codec = "jsonb")
public class Tariffs {

  public record Tariff(String zone, BigDecimal perKwh) {}

  public Tariff set(Tariff tariff) {
    return tariff;
  }

  public int count() {
    return 1;
  }
}
