package dev.noriwal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child JVM for {@link WalCrashIT}: appends under {@code always()} from several threads and prints
 * {@code ACK id segment offset} for every acknowledged append, until it is killed.
 */
public final class CrashChild {
  private CrashChild() {}

  static byte[] value(long id) {
    int size = (int) Math.floorMod(id * 2654435761L, 9000L);
    byte[] v = new byte[size];
    for (int i = 0; i < size; i++) {
      v[i] = (byte) (id + i * 7L);
    }
    return v;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    long base = Long.parseLong(args[2]);
    Wal wal =
        Wal.open(
            WalConfig.builder(dir)
                .maxSegmentSize(1 << 20)
                .fsyncPolicy(FsyncPolicy.always())
                .build());
    System.out.println("READY");
    System.out.flush();
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long first = base + t * 1_000_000L;
      Thread th =
          new Thread(
              () -> {
                try {
                  for (long id = first; ; id++) {
                    Position p =
                        wal.append(
                            WalRecord.put(
                                Long.toString(id).getBytes(StandardCharsets.US_ASCII), value(id)));
                    synchronized (System.out) {
                      System.out.println("ACK " + id + " " + p.segmentId() + " " + p.offset());
                      System.out.flush();
                    }
                  }
                } catch (Exception e) {
                  // The parent test reads this child's stderr when an appender dies.
                  e.printStackTrace(System.err);
                }
              });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join();
    }
  }
}
