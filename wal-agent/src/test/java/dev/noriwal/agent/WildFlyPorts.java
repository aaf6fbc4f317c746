package dev.noriwal.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The ports one test run of WildFly listens on, each found free on the loopback interface just
 * before the server starts (by binding port 0), and handed to the server as the system properties
 * its {@code standalone*.xml} reads ({@code jboss.http.port} and the others). No test relies on
 * 8080/9990 or on a fixed port offset, so two builds, or a machine where something already listens
 * there, still pass.
 *
 * <p>What stays fixed: WildFly 39's configurations give {@code txn-recovery-environment} (4712) and
 * {@code txn-status-manager} (4713) no property, but the server opens neither unless the
 * transactions subsystem's recovery listener is switched on, which these tests do not do.
 *
 * <p>Immutable; made and read by the test's thread.
 */
record WildFlyPorts(int http, int https, int management, int managementHttps, int ajp) {

  /**
   * Five distinct ports free on 127.0.0.1 now. Every socket stays bound until all five are chosen,
   * so they differ; they are released before the server binds them, so another process could take
   * one in between (then the server fails to start, naming the port).
   */
  static WildFlyPorts pickFree() throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] p = new int[5];
      for (int i = 0; i < p.length; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        p[i] = s.getLocalPort();
      }
      return new WildFlyPorts(p[0], p[1], p[2], p[3], p[4]);
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  /** Arguments for {@code standalone.sh} (they become the server's system properties). */
  String serverArguments() {
    return "-Djboss.http.port="
        + http
        + " -Djboss.https.port="
        + https
        + " -Djboss.management.http.port="
        + management
        + " -Djboss.management.https.port="
        + managementHttps
        + " -Djboss.ajp.port="
        + ajp;
  }
}
