package example.app;

import dev.noriwal.agent.Journaled;
import java.util.List;

/** A plain class (no CDI) with journaled methods, for the agent tests. */
public class Bank {
  @Journaled("orders")
  public long transfer(String to, long cents) {
    return cents;
  }

  @Journaled("orders")
  public static String greet(List<String> names) {
    return "hello " + String.join(" ", names);
  }

  @Journaled("orders")
  public void refuse(String why) {
    throw new IllegalStateException(why);
  }

  public int notJournaled(int x) {
    return x + 1;
  }
}
