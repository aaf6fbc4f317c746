package dev.noriwal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * The writable channel of the active segment: writes staged bytes positionally, forces (the one
 * place that times forces and counts them for {@link WalStats}), seals a full segment (trim to its
 * records, force, close) and moves the next one, from the {@link SegmentPreparer}, into place.
 *
 * <p>With preallocation (under a rule that {@link CommitRule#zeroFillsAhead}: not {@code os()}),
 * the active segment is zero-filled ahead of the writer in forced steps (see {@link
 * SegmentPreparer#grow}), never more than two steps beyond what is written: a step is about a
 * quarter second of the observed write rate, between {@link #MIN_STEP} and {@link #MAX_STEP}; a new
 * step starts once less than one step of zeros is left, and the next segment is prepared once this
 * one is zero-filled to its end, with a step's worth of zeros ready for its first appends. The step
 * is zero-filled (and forced) in small pieces; the writer writes only below the pieces done ({@link
 * SegmentPreparer.Growth#filledTo}). If it outruns them, or seals or closes the segment, it stops
 * the step after the piece in flight and waits for that piece alone, never for the rest of the
 * step; past the zeros its own writes extend the file. A crash can leave a step half-filled or
 * unforced: that is past every record, where recovery expects zeros or the end of the file (a torn
 * tail either way).
 *
 * <p>Under a rule that forces only on request ({@code os()}), a force of the active segment runs in
 * the background on the preparer's pool for every {@link #BEHIND_STEP} written since the last
 * force, one at a time ({@link CommitRule#forcesBehind}): the seal, which the next segment must
 * wait for, then forces at most a step or two instead of a whole segment, and the device writes
 * while the writer goes on rather than only while it waits. Nothing is acknowledged by it (such a
 * rule promises nothing before a sync), but its failure fences the log like any failed force: the
 * page cache may have dropped the pages it could not write, so no later force could vouch for them.
 * The seal, a close and a sync still force everything themselves.
 *
 * <p>Confined to the thread holding the commit (see {@link Staging}: the writer task or an appender
 * committing its own round; after construction on the opening thread), handed from one to the next
 * under the staging lock. The progress marks ({@link #writtenSeq}, {@link #durableSeq}, their
 * positions, the active segment id) and the force statistics are volatile: other threads read them,
 * only the commit holder changes them. Sequence numbers count bytes since the log was opened, as
 * {@link Staging} assigns them.
 */
final class SegmentWriter {
  static final long MIN_STEP = 1L << 20;
  static final long MAX_STEP = 16L << 20;

  /** Under {@link CommitRule#forcesBehind}, a background force per this many bytes written. */
  static final long BEHIND_STEP = 8L << 20;

  private final Path dir;
  private final boolean zeroFillsAhead;
  private final boolean forcesBehind;
  private final long maxSegmentSize;
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

  /** The file is zero-filled (or written) up to here. */
  private long zeroed;

  /** The step being zero-filled in the background; null if none. */
  private SegmentPreparer.@Nullable Growth growth;

  private long step = MIN_STEP;
  private long rateSinceNanos = System.nanoTime();
  private long rateSinceSeq;
  private boolean nextRequested;

  /** The background force of the active segment in flight, if any (see the class doc). */
  private @Nullable Future<Long> behind;

  /** Offset in the active segment up to which a background force was last started. */
  private long behindAt;

  /**
   * Opens the last segment for appending, or creates segment 0 of an empty log. On failure the
   * caller abandons {@code preparer}.
   */
  SegmentWriter(
      Path dir,
      WalConfig config,
      CommitRule rule,
      ChannelOpener opener,
      SegmentPreparer preparer,
      SegmentRegistry registry,
      WalEvents events)
      throws IOException {
    this.dir = dir;
    this.zeroFillsAhead = preparer.zeroFills();
    this.forcesBehind = rule.forcesBehind();
    this.maxSegmentSize = config.maxSegmentSize();
    this.preparer = preparer;
    this.registry = registry;
    this.events = events;
    if (registry.isEmpty()) {
      SegmentPreparer.Prepared first = preparer.prepare(0);
      preparer.publish(first);
      channel = first.channel();
      segmentId = 0;
      offset = 0;
      zeroed = first.zeroed();
    } else {
      SegmentInfo last = registry.last();
      channel =
          opener.open(
              dir.resolve(last.fileName()), StandardOpenOption.READ, StandardOpenOption.WRITE);
      segmentId = last.id();
      offset = last.size();
      zeroed = channel.size();
    }
    behindAt = offset;
    registry.activate(segmentId, offset);
    writtenPos = durablePos = new Position(segmentId, offset);
    if (!zeroFillsAhead) {
      preparer.prepareAhead(segmentId + 1, 0); // an empty file: cheap to have ready
    }
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
   * force}, forces everything up to {@code target}; then, unless it is the {@code last} round,
   * keeps the zero-fill ahead. The caller fences the log on any failure.
   */
  void commit(List<Staged> items, long target, Position targetPos, boolean force, boolean last)
      throws IOException {
    long seq = writtenSeq;
    int bytes = 0;
    for (int i = 0; i < items.size(); i++) { // no iterator per round
      Staged item = items.get(i);
      if (item instanceof Staged.Bytes b) {
        int n = b.length();
        SegmentPreparer.Growth g = growth;
        if (g != null && offset + n > g.filledTo()) {
          stopGrowth(); // the writer outran the zero-fill: never write where it writes
        }
        Fs.writeFully(channel, b.bytes(), offset);
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
      behindAt = offset; // a background force would only repeat this one
      durableSeq = target;
      durablePos = targetPos;
      if (events.any()) {
        events.emit(
            new WalEvent.FsyncCompleted(dir, segmentId, Duration.ofNanos(dt), bytes, items.size()));
      }
    }
    if (!last) {
      growAhead(); // not for the last round before a close: it would only delay the close
      if (forcesBehind) {
        forceBehind();
      }
    }
  }

  /**
   * Collects a finished background force (throwing its failure) and starts the next one once {@link
   * #BEHIND_STEP} more bytes were written since the last.
   */
  private void forceBehind() throws IOException {
    Future<Long> b = behind;
    if (b != null) {
      if (!b.isDone()) {
        return;
      }
      finishBehind();
    }
    if (offset - behindAt >= BEHIND_STEP) {
      behindAt = offset;
      behind = preparer.forceBehind(channel);
    }
  }

  /**
   * Waits for the background force in flight, if any; throws its failure (the log then fences). A
   * force dropped unstarted (the log is stopping) did nothing, which the caller's own force covers.
   */
  private void finishBehind() throws IOException {
    Future<Long> b = behind;
    if (b == null) {
      return;
    }
    behind = null;
    try {
      Uninterruptibly.get(b);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw new IOException(
          "background force of segment " + SegmentName.toFileName(segmentId) + " failed: " + c, c);
    } catch (CancellationException e) {
      // Dropped before it ran: nothing was forced, and nothing relies on it.
    }
  }

  /**
   * Starts zero-filling the next step of the active segment if less than a step is left, or the
   * next segment's preparation once this one is zero-filled to its end.
   */
  private void growAhead() {
    if (!zeroFillsAhead) {
      return;
    }
    SegmentPreparer.Growth g = growth;
    if (g != null) {
      if (!g.done().isDone()) {
        return;
      }
      finishGrowth();
    }
    long now = System.nanoTime();
    long seq = writtenSeq;
    if (now > rateSinceNanos) {
      // About a quarter second of appends at the rate seen since the last step began.
      double perQuarterSecond = (seq - rateSinceSeq) * 2.5e8 / (now - rateSinceNanos);
      step = Math.max(MIN_STEP, Math.min(MAX_STEP, Long.highestOneBit((long) perQuarterSecond)));
    }
    if (zeroed >= maxSegmentSize) {
      if (!nextRequested) {
        nextRequested = true;
        // A step's worth, so that the first appends after the rotation find zeros ahead.
        preparer.prepareAhead(segmentId + 1, step);
      }
      return;
    }
    if (zeroed - offset > step) {
      return;
    }
    rateSinceNanos = now;
    rateSinceSeq = seq;
    long from = Math.max(zeroed, offset);
    long to = Math.min(maxSegmentSize, from + step);
    SegmentInfo active =
        java.util.Objects.requireNonNull(registry.get(segmentId), "active segment");
    growth = preparer.grow(dir.resolve(active.fileName()), from, to);
  }

  /**
   * Stops the step being zero-filled, if any, after the piece in flight, and waits for that piece
   * (never for the rest of the step): the writer then writes past the zeros, extending the file.
   */
  private void stopGrowth() {
    SegmentPreparer.Growth g = growth;
    if (g != null) {
      g.stop();
      finishGrowth();
    }
  }

  /**
   * Waits for the step being zero-filled, if any, to end. A step that failed counts as far as it
   * got: the writer's own writes extend the file beyond, and if the disk is full those fail and
   * fence the log.
   */
  private void finishGrowth() {
    SegmentPreparer.Growth g = growth;
    if (g == null) {
      return;
    }
    growth = null;
    try {
      zeroed = Math.max(zeroed, Uninterruptibly.get(g.done()));
    } catch (ExecutionException | CancellationException e) {
      // Failed, or dropped unstarted: the pieces before that are zeros.
      zeroed = Math.max(zeroed, g.filledTo());
    }
  }

  /**
   * Seals the active segment (trim to its records, force with metadata: segment N is durable before
   * N+1 exists) and moves the next one into place.
   */
  @SuppressWarnings(
      "NonAtomicVolatileUpdate") // one writer (see the class doc); volatile for readers
  private void rotateTo(long newId, long seqAtRotation) throws IOException {
    long oldId = segmentId;
    long sealedSize = offset;
    stopGrowth(); // before the trim: a zero-fill must not extend the sealed file again
    finishBehind(); // nor a background force run on a channel being closed
    channel.truncate(sealedSize);
    timedForce(true);
    channel.close();
    registry.seal(oldId, sealedSize);
    SegmentPreparer.Prepared p = preparer.take(newId);
    preparer.publish(p);
    channel = p.channel();
    segmentId = newId;
    offset = 0;
    behindAt = 0;
    zeroed = p.zeroed();
    nextRequested = false;
    registry.activate(newId, 0);
    writtenSeq = seqAtRotation;
    durableSeq = Math.max(durableSeq, seqAtRotation);
    writtenPos = durablePos = new Position(newId, 0);
    rotations++;
    events.emit(new WalEvent.SegmentRotated(dir, oldId, sealedSize, newId));
    if (!zeroFillsAhead) {
      preparer.prepareAhead(newId + 1, 0);
    }
  }

  /** Forces the channel and records the time it took; returns it in nanoseconds. */
  @SuppressWarnings(
      "NonAtomicVolatileUpdate") // one writer (see the class doc); volatile for readers
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
    stopGrowth(); // before the trim (only its piece in flight is waited for)
    try {
      finishBehind();
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
    try {
      finishBehind(); // not under a running force; its failure changes nothing now
    } catch (IOException ignored) {
      // The log failed or crashed already: this close reports nothing.
    }
    if (channel.isOpen()) {
      channel.close();
    }
  }
}
