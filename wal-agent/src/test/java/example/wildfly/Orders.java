package example.wildfly;

import dev.noriwal.agent.Journaled;

/** A plain class of a WAR, not a CDI bean: only the agent can journal it. */
public class Orders {
  @Journaled("orders")
  public String place(String item, int quantity) {
    if (quantity <= 0) {
      throw new IllegalArgumentException("quantity must be positive: " + quantity);
    }
    return quantity + " x " + item;
  }
}
