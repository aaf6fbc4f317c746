package dev.noriwal;

import java.nio.file.Path;

/**
 * Child JVM for {@link DirectoryLockIT}: tries once to open the log in {@code args[0]} and prints
 * {@code OPENED} or {@code REFUSED <message>}.
 */
public final class OpenProbe {
  private OpenProbe() {}

  public static void main(String[] args) {
    try (Wal wal = Wal.open(WalConfig.builder(Path.of(args[0])).maxSegmentSize(1 << 20).build())) {
      wal.append(WalRecord.put(new byte[] {1}, new byte[] {2}));
      System.out.println("OPENED");
    } catch (Exception e) {
      System.out.println("REFUSED " + e.getMessage());
    }
    System.out.flush();
  }
}
