package dev.noriwal.quarkus.it;

import dev.noriwal.Position;
import dev.noriwal.Wal;
import dev.noriwal.WalRecord;
import dev.noriwal.cdi.Durable;
import dev.noriwal.cdi.Journaled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** An ordinary Quarkus bean: a durable event log and a journaled command. */
@ApplicationScoped
public class Orders {
  @Inject
  @Durable("orders")
  Wal events;

  /** Journaled into "commands" before the body runs; the event is appended to "orders". */
  @Journaled("commands")
  public Position place(String item, int quantity) throws IOException {
    if (quantity <= 0) {
      throw new IllegalArgumentException("quantity must be positive: " + quantity);
    }
    return events.append(
        WalRecord.put(
            item.getBytes(StandardCharsets.UTF_8),
            Integer.toString(quantity).getBytes(StandardCharsets.UTF_8)));
  }
}
