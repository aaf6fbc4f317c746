package example.app;

import dev.noriwal.agent.Journaled;
import java.util.concurrent.CountDownLatch;

/** Prints IN-CALL from inside a journaled method, then blocks until killed. */
public final class BlockingApp {
  @Journaled("orders")
  static void process(String order) throws InterruptedException {
    System.out.println("IN-CALL " + order);
    System.out.flush();
    new CountDownLatch(1).await();
  }

  public static void main(String[] args) throws Exception {
    Bank bank = new Bank();
    bank.transfer("before", 1L); // a finished call, for contrast
    process("o-1");
  }
}
