package dev.noriwal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged WAR (system property {@code demo.war}, set by failsafe after {@code package}): an
 * application journaling through the CDI layer carries the journal, the service and the CDI
 * extension, and not one class of the agent or of Byte Buddy.
 */
class WarContentsIT {

  @Test
  void theWarCarriesTheCdiLayerAndNoAgentOrByteBuddyClass() throws IOException {
    Path war = Path.of(System.getProperty("demo.war", "target/wal-jakarta-ee-demo.war"));
    TreeSet<String> libs = new TreeSet<>();
    List<String> offenders = new ArrayList<>();
    try (ZipFile zip = new ZipFile(war.toFile())) {
      for (ZipEntry e : zip.stream().toList()) {
        check(e.getName(), war.getFileName().toString(), offenders);
        if (e.getName().startsWith("WEB-INF/lib/") && e.getName().endsWith(".jar")) {
          String lib = e.getName().substring("WEB-INF/lib/".length());
          libs.add(lib.replaceAll("-[0-9].*", ""));
          try (InputStream in = zip.getInputStream(e);
              JarInputStream jar = new JarInputStream(in)) {
            for (JarEntry j; (j = jar.getNextJarEntry()) != null; ) {
              check(j.getName(), lib, offenders);
            }
          }
        }
      }
    }
    assertEquals(List.of(), offenders, "agent or Byte Buddy classes in " + war);
    assertTrue(
        libs.containsAll(List.of("wal-engine", "wal-journal", "wal-jmx", "wal-cdi")),
        "WEB-INF/lib of " + war + ": " + libs);
    assertTrue(libs.stream().noneMatch(l -> l.startsWith("wal-agent")), "libs: " + libs);
  }

  private static void check(String entry, String where, List<String> offenders) {
    if (entry.contains("dev/noriwal/agent/")
        || (entry.contains("/agent/") && entry.contains("noriwal"))
        || entry.contains("net/bytebuddy/")) {
      offenders.add(where + "!" + entry);
    }
  }
}
