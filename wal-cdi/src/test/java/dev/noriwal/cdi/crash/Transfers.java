package dev.noriwal.cdi.crash;

import dev.noriwal.cdi.Journaled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CountDownLatch;

@ApplicationScoped
public class Transfers {

  @Journaled("transfers")
  public void transfer(String account, long cents, List<String> tags) {}

  /** Tells the parent it is inside the call, then waits to be killed. */
  @Journaled("transfers")
  public void transferAndHang(String account, long cents, List<String> tags)
      throws InterruptedException {
    System.out.println("IN-CALL");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
