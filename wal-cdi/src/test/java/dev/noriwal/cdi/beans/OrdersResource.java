package dev.noriwal.cdi.beans;

import dev.noriwal.Wal;
import dev.noriwal.WalRecord;
import dev.noriwal.cdi.Durable;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Shaped like a JAX-RS resource (request scoped, constructor injection), run as a plain bean. */
@RequestScoped
public class OrdersResource {
  private final Wal orders;

  @Inject
  public OrdersResource(@Durable("orders") Wal orders) {
    this.orders = orders;
  }

  /** For the client proxy. */
  protected OrdersResource() {
    this.orders = null;
  }

  public String place(String order) throws IOException {
    return orders
        .append(
            WalRecord.put(
                "order".getBytes(StandardCharsets.UTF_8), order.getBytes(StandardCharsets.UTF_8)))
        .toString();
  }

  public Wal wal() {
    return orders;
  }
}
