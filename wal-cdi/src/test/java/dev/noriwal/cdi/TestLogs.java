package dev.noriwal.cdi;

import dev.noriwal.Wal;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JournalEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.jboss.weld.environment.se.Weld;

/** Test fixtures: per-log system properties and a Weld SE container with discovery off. */
public final class TestLogs {
  private static final List<String> SETTINGS =
      List.of("directory", "fsync", "segment-size", "recovery", "codec");

  private TestLogs() {}

  /** Points each log at {@code base/<name>}. */
  public static void directories(Path base, String... names) {
    for (String n : names) {
      System.setProperty("nori.wal." + n + ".directory", base.resolve(n).toString());
    }
  }

  public static void set(String name, String setting, String value) {
    System.setProperty("nori.wal." + name + "." + setting, value);
  }

  /** Removes every {@code nori.wal.<name>.*} property of these logs. */
  public static void clear(String... names) {
    for (String n : names) {
      for (String s : SETTINGS) {
        System.clearProperty("nori.wal." + n + "." + s);
      }
    }
  }

  /**
   * Weld SE over exactly these bean classes and the extension (with discovery off, Weld SE does not
   * read META-INF/services; the Arquillian test and the crash test cover that path).
   */
  public static Weld weld(Class<?>... beans) {
    return new Weld().disableDiscovery().addExtension(new WalExtension()).addBeanClasses(beans);
  }

  /** The messages of {@code t}, its causes and everything suppressed, for asserting on codes. */
  public static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    collect(t, sb, 0);
    return sb.toString();
  }

  private static void collect(Throwable t, StringBuilder sb, int depth) {
    if (t == null || depth > 20) {
      return;
    }
    sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    for (Throwable s : t.getSuppressed()) {
      collect(s, sb, depth + 1);
    }
    collect(t.getCause(), sb, depth + 1);
  }

  public static List<JournalEntry> entries(Wal wal) {
    try {
      return Journal.entries(wal);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
