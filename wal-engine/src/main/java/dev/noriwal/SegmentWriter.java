package dev.noriwal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * The writable channel of the active segment: writes staged bytes positionally, forces (the one
 * place that times forces and counts them for {@link WalStats}), seals a full segment (trim to its
 * records, force, close) and moves the next one, from the {@link SegmentPreparer}, into place.
 *
 * <p>Confined to the writer thread (after construction on the opening thread). The progress
 * marks ({@link #writtenSeq}, {@link #durableSeq}, their positions, the active segment id) and the
 * force statistics are volatile: other threads read them, only the writer thread changes them.
 * Sequence numbers count bytes since the log was opened, as {@link Staging} assigns them.
 */
final class SegmentWriter {
  private final Path dir;
  private final SegmentPreparer preparer;
  private final SegmentRegistry registry;
  private final WalEvents events;
  private FileChannel channel;
  private volatile long segmentId;
  private long offset;
  private volatile long writtenSeq;
  private volatile long durableSeq;
  private volatile Position writtenPos;
  private volatile Position durablePos;
  private volatile long fsyncCount;
  private volatile long fsyncTotalNanos;
  private volatile long fsyncMaxNanos;
  private volatile long rotations;

  /**
   * Opens the last segment for appending, or creates segment 0 of an empty log. On failure the
   * caller abandons {@code preparer}.
   */
  SegmentWriter(
      Path dir,
      ChannelOpener opener,
      SegmentPreparer preparer,
      SegmentRegistry registry,
      WalEvents events)
      throws IOException {
    this.dir = dir;
    this.preparer = preparer;
    this.registry = registry;
    this.events = events;
    if (registry.isEmpty()) {
      SegmentPreparer.Prepared first = preparer.prepare(0);
      preparer.publish(first);
      channel = first.channel();
      segmentId = 0;
      offset = 0;
    } else {
      SegmentInfo last = registry.last();
      channel =
          opener.open(
              dir.resolve(last.fileName()), StandardOpenOption.READ, StandardOpenOption.WRITE);
      segmentId = last.id();
      offset = last.size();
    }
    registry.activate(segmentId, offset);
    writtenPos = durablePos = new Position(segmentId, offset);
  }

  long segmentId() {
    return segmentId;
  }

  long offset() {
    return offset;
  }

  long writtenSeq() {
    return writtenSeq;
  }

  long durableSeq() {
    return durableSeq;
  }

  Position writtenPos() {
    return writtenPos;
  }

  Position durablePos() {
    return durablePos;
  }

  long fsyncCount() {
    return fsyncCount;
  }

  long fsyncTotalNanos() {
    return fsyncTotalNanos;
  }

  long fsyncMaxNanos() {
    return fsyncMaxNanos;
  }

  long rotations() {
    return rotations;
  }

  /**
   * Writes one round of staged items (rotating where a rotation was staged); then, if {@code
   * force}, forces everything up to {@code target}. The caller fences the log on any failure.
   */
  void commit(List<Staged> items, long target, Position targetPos, boolean force)
      throws IOException {
    long seq = writtenSeq;
    int bytes = 0;
    for (Staged item : items) {
      if (item instanceof Staged.Bytes b) {
        int n = b.buffer().remaining();
        Fs.writeFully(channel, b.buffer(), offset);
        offset += n;
        seq += n;
        bytes += n;
      } else if (item instanceof Staged.Rotation r) {
        rotateTo(r.newSegmentId(), seq);
      }
    }
    writtenPos = targetPos;
    writtenSeq = target;
    if (force && durableSeq < target) {
      long dt = timedForce(false);
      durableSeq = target;
      durablePos = targetPos;
      events.emit(
          new WalEvent.FsyncCompleted(dir, segmentId, Duration.ofNanos(dt), bytes, items.size()));
    }
  }

  /**
   * Seals the active segment (trim to its records, force with metadata: segment N is durable
   * before N+1 exists) and moves the next one into place.
   */
  private void rotateTo(long newId, long seqAtRotation) throws IOException {
    long oldId = segmentId;
    long sealedSize = offset;
    channel.truncate(sealedSize);
    timedForce(true);
    channel.close();
    registry.seal(oldId, sealedSize);
    SegmentPreparer.Prepared p = preparer.take(newId);
    preparer.publish(p);
    channel = p.channel();
    segmentId = newId;
    offset = 0;
    registry.activate(newId, 0);
    writtenSeq = seqAtRotation;
    durableSeq = Math.max(durableSeq, seqAtRotation);
    writtenPos = durablePos = new Position(newId, 0);
    rotations++;
    events.emit(new WalEvent.SegmentRotated(dir, oldId, sealedSize, newId));
    preparer.prepareAhead(newId + 1);
  }

  /** Forces the channel and records the time it took; returns it in nanoseconds. */
  private long timedForce(boolean metadata) throws IOException {
    long t0 = System.nanoTime();
    channel.force(metadata);
    long dt = System.nanoTime() - t0;
    fsyncCount++;
    fsyncTotalNanos += dt;
    if (dt > fsyncMaxNanos) {
      fsyncMaxNanos = dt;
    }
    return dt;
  }

  /**
   * The clean close: force, trim the preallocated tail, force with metadata, close, and mark the
   * segment sealed. On failure the channel is closed and the failure thrown.
   */
  void closeClean() throws IOException {
    try {
      channel.force(false);
      channel.truncate(offset);
      channel.force(true);
      channel.close();
      registry.seal(segmentId, offset);
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Closes the channel as it is (after a failure or a simulated crash): no trim, no force. */
  void closeAsIs() throws IOException {
    if (channel.isOpen()) {
      channel.close();
    }
  }
}
