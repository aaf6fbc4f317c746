package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A power-loss model for the engine's files. Written but unforced data is volatile: for every 4 KiB
 * page written since the file's last force, the page's last forced contents are kept aside. A
 * {@link #cut power cut} then keeps any subset of those pages as written and puts the others back
 * to their forced contents (zeros in a preallocated segment), in no particular order, the way a
 * page cache loses pages. Renames and directory forces are taken as durable (the engine forces the
 * directory after each). Thread-safe.
 */
final class PowerCutFs implements ChannelOpener {
  static final int PAGE = 4096;

  /** One file, followed through renames: page index to its contents as of its last force. */
  private static final class FileState {
    Path path;
    final TreeMap<Long, byte[]> pages = new TreeMap<>();

    FileState(Path path) {
      this.path = path;
    }
  }

  private final Map<Path, FileState> files = new HashMap<>();

  @Override
  public synchronized FileChannel open(Path path, OpenOption... options) throws IOException {
    FileChannel real = ChannelOpener.system().open(path, options);
    FileState f = files.computeIfAbsent(path, FileState::new);
    return new FaultyChannel(real, new FaultyChannel.Plan(), path) {
      @Override
      public int write(ByteBuffer src, long position) throws IOException {
        remember(f, real, position, src.remaining());
        return super.write(src, position);
      }

      @Override
      public void force(boolean metaData) throws IOException {
        super.force(metaData);
        synchronized (PowerCutFs.this) {
          f.pages.clear();
        }
      }

      @Override
      public FileChannel truncate(long size) throws IOException {
        super.truncate(size);
        synchronized (PowerCutFs.this) {
          f.pages.tailMap(size / PAGE + 1, true).clear();
        }
        return this;
      }
    };
  }

  private synchronized void remember(FileState f, FileChannel ch, long position, int n)
      throws IOException {
    TreeMap<Long, byte[]> pages = f.pages;
    for (long page = position / PAGE; page * PAGE < position + n; page++) {
      if (!pages.containsKey(page)) {
        ByteBuffer before = ByteBuffer.allocate(PAGE);
        Fs.readFully(ch, before, page * PAGE);
        pages.put(page, before.array()); // beyond the end of the file: zeros
      }
    }
  }

  @Override
  public synchronized void move(Path from, Path to) throws IOException {
    ChannelOpener.super.move(from, to);
    FileState f = files.remove(from);
    if (f != null) {
      f.path = to;
      files.put(to, f);
    }
  }

  /**
   * The power cut: each unforced page survives with probability {@code keep}, else reads as its
   * last forced contents. Call after the log's process is gone ({@link
   * SegmentedWal#crashForTesting}). Returns how many pages were lost.
   */
  synchronized int cut(Random random, double keep) throws IOException {
    int lost = 0;
    for (FileState f : files.values()) {
      if (!f.path.toFile().exists() || f.pages.isEmpty()) {
        continue;
      }
      try (FileChannel ch = FileChannel.open(f.path, StandardOpenOption.WRITE)) {
        long size = ch.size();
        for (Map.Entry<Long, byte[]> page : f.pages.entrySet()) {
          long at = page.getKey() * PAGE;
          if (at >= size || random.nextDouble() < keep) {
            continue;
          }
          ByteBuffer old = ByteBuffer.wrap(page.getValue(), 0, (int) Math.min(PAGE, size - at));
          Fs.writeFully(ch, old, at);
          lost++;
        }
        ch.force(true);
      }
    }
    files.clear();
    return lost;
  }
}
