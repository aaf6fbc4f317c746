package example.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import javax.management.ObjectName;

/**
 * Started without the agent and driven by stdin: {@code call} runs a journaled method, {@code
 * mbeans} lists {@code dev.noriwal:*}, {@code exit} ends. Uses its own {@link Journaled}.
 */
public final class AttachApp {
  private static int calls;

  @Journaled("attached")
  static int work(int n) {
    return n * 10;
  }

  public static void main(String[] args) throws Exception {
    System.out.println("PID " + ProcessHandle.current().pid());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      switch (line.trim()) {
        case "call" -> {
          int n = ++calls;
          System.out.println("CALLED " + n + " -> " + work(n));
        }
        case "mbeans" -> {
          for (ObjectName n :
              ManagementFactory.getPlatformMBeanServer()
                  .queryNames(new ObjectName("dev.noriwal:*"), null)) {
            System.out.println("MBEAN " + n);
          }
          System.out.println("END-MBEANS");
        }
        case "exit" -> {
          System.out.println("BYE");
          return;
        }
        default -> System.out.println("UNKNOWN " + line);
      }
    }
  }
}
