package example.app;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.TreeSet;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Run with the agent: makes journaled calls and prints what it sees, one fact per line: {@code
 * RESULT}, {@code THREW}, {@code REFUSED}, {@code MBEAN <name>}, {@code ATTR <name>
 * <attr>=<value>}, then {@code DONE}.
 */
public final class JournaledApp {
  public static void main(String[] args) throws Exception {
    Bank bank = new Bank();
    call("transfer", () -> bank.transfer("bob", 5L));
    call("greet", () -> Bank.greet(List.of("amy", "ben")));
    call(
        "refuse",
        () -> {
          bank.refuse("no funds");
          return null;
        });
    call("notJournaled", () -> bank.notJournaled(1));
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    for (ObjectName n : new TreeSet<>(server.queryNames(new ObjectName("dev.noriwal:*"), null))) {
      System.out.println("MBEAN " + n);
    }
    ObjectName agent = new ObjectName("dev.noriwal:type=Agent");
    if (server.isRegistered(agent)) {
      for (String a :
          new String[] {
            "InvocationsJournaled", "InvocationsRefused", "OutcomeFailures", "InstrumentedTypes"
          }) {
        System.out.println("ATTR Agent " + a + "=" + server.getAttribute(agent, a));
      }
    }
    ObjectName log = new ObjectName("dev.noriwal:type=Log,name=orders");
    if (server.isRegistered(log)) {
      System.out.println("ATTR orders State=" + server.getAttribute(log, "State"));
      System.out.println(
          "ATTR orders RecordsAppended=" + server.getAttribute(log, "RecordsAppended"));
    }
    System.out.println("DONE");
  }

  interface Call {
    Object run() throws Exception;
  }

  private static void call(String name, Call c) {
    try {
      System.out.println("RESULT " + name + " " + c.run());
    } catch (IllegalStateException e) {
      boolean refused = e.getMessage() != null && e.getMessage().startsWith("nori-wal agent");
      System.out.println((refused ? "REFUSED " : "THREW ") + name + " " + e.getMessage());
    } catch (Exception e) {
      System.out.println("REFUSED " + name + " " + e);
    }
  }
}
