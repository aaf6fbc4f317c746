package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The file-backed {@link Wal}: a facade that opens the log, wires its parts and orders the close.
 *
 * <p>The parts, each with one owner: {@link Staging} (positions, staging chunks, back-pressure and
 * waiting callers; any appending thread, under its lock), the {@link GroupCommitter} (the log's
 * writer task on the JVM-wide {@link Writers} pool, deciding by the {@link CommitRule} of the
 * {@link FsyncPolicy} when to write and force), the {@link SegmentWriter} (the writable channel;
 * whoever holds the commit), the {@link SegmentPreparer} (next segment, in the background), the
 * {@link SegmentRegistry} (segments, record counts, deletion, retention claims; concurrent) and
 * {@link ReaderVisibility} (how far readers may read).
 *
 * <p>Appenders compress and (for records up to {@link #PRE_ENCODE_MAX}) encode and checksum on
 * their own thread, then, under the staging lock, take the next position and copy the record into a
 * 1 MiB staging chunk (no syscall, no per-append allocation beyond the returned position). The
 * writer task drains every staged chunk, writes them positionally, forces once for the whole round
 * when the rule asks, and then completes the waiting appenders in order (group commit). Rotation is
 * decided when positions are assigned, so a rotation travels in the staging queue and the writer
 * seals the old segment (write, trim, force) and moves the prepared next one into place.
 *
 * <p>Thread-safe. Lock order: the staging lock, then the lifecycle's monitor or the readers' wait
 * lock; the registry's deletion monitor is taken with no other lock held. The close runs as the
 * writer task's last run ends ({@link #shutDown}): fail the callers still waiting, stop
 * preparation, write the clean-shutdown marker if all was forced, release the directory lock.
 */
final class SegmentedWal implements Wal, LogView {
  /** Records up to this size are encoded (and checksummed) by the appender before it locks. */
  static final int PRE_ENCODE_MAX = 8 * 1024;

  /** Per appending thread: a scratch buffer and CRC for encoding outside the lock. */
  private static final class Scratch {
    final ByteBuffer buf = ByteBuffer.allocate(PRE_ENCODE_MAX);
    final CRC32C crc = new CRC32C();
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final WalConfig config;
  private final Path dir;
  private final DirectoryLock dirLock;
  private final RecoveryInfo recoveryInfo;
  private final WalEvents events;
  private final CommitRule rule;
  private final SegmentRegistry registry;
  private final SegmentPreparer preparer;
  private final SegmentWriter segment;
  private final Staging staging;
  private final ReaderVisibility visibility;
  private final Completions.Serial completions = Completions.serial();
  private final GroupCommitter committer;

  /** Counted down by the writer task when it has finished closing the log. */
  private final CountDownLatch closed = new CountDownLatch(1);

  private volatile @Nullable IOException closeError;

  private SegmentedWal(
      WalConfig config,
      ChannelOpener opener,
      DirectoryLock dirLock,
      RecoveryInfo info,
      List<Recovery.Segment> recovered)
      throws IOException {
    this.config = config;
    this.dir = config.directory();
    this.dirLock = dirLock;
    this.recoveryInfo = info;
    this.events = new WalEvents(config.listeners());
    this.rule = CommitRule.of(config.fsyncPolicy());
    this.registry = new SegmentRegistry(dir, opener, events, recovered);
    this.preparer = new SegmentPreparer(config, opener, rule);
    try {
      this.segment = new SegmentWriter(dir, config, rule, opener, preparer, registry, events);
    } catch (IOException | RuntimeException e) {
      preparer.abandon();
      throw e;
    }
    this.staging =
        new Staging(
            dir,
            config.maxSegmentSize(),
            rule,
            segment,
            registry,
            segment.segmentId(),
            segment.offset());
    this.visibility = new ReaderVisibility(segment.writtenPos());
    this.committer =
        new GroupCommitter(
            dir, staging, segment, visibility, rule, events, completions, this::shutDown);
    committer.start();
  }

  static SegmentedWal open(WalConfig config) throws IOException {
    return open(config, ChannelOpener.system());
  }

  static SegmentedWal open(WalConfig config, ChannelOpener opener) throws IOException {
    Path dir = config.directory();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Fs.forceDirectory(parent); // so the new log directory itself survives a power loss
      }
    }
    DirectoryLock lock = DirectoryLock.acquire(dir);
    try {
      long t0 = System.nanoTime();
      Recovery.Outcome outcome = null;
      // Only the default mode may skip the scan: any other mode was chosen to repair something.
      Optional<CleanMarker> marker =
          config.recoveryMode() == WalConfig.DEFAULT_RECOVERY_MODE
              ? CleanMarker.read(dir)
              : Optional.empty();
      if (marker.isPresent()) {
        outcome = MarkerTrust.trusted(dir, config.recoveryMode(), marker.get(), t0);
        if (outcome != null) {
          Recovery.removeTemporaries(dir);
        }
      }
      if (outcome == null) {
        outcome =
            Recovery.recover(
                dir, config.recoveryMode(), e -> WalEvents.emit(config.listeners(), e), opener);
      }
      // Invalidate the marker before anything new is appended.
      CleanMarker.delete(dir);
      SegmentedWal wal = new SegmentedWal(config, opener, lock, outcome.info(), outcome.segments());
      wal.events.emit(new WalEvent.RecoveryCompleted(dir, outcome.info()));
      return wal;
    } catch (IOException | RuntimeException | Error e) {
      try {
        lock.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------ appending

  @Override
  public Position append(WalRecord record) throws IOException {
    // Uncompressed values go as they are: no intermediate object on the hot path.
    byte[] value = record.value();
    Compression as = Compression.NONE;
    if (record.compression() != Compression.NONE) {
      Codecs.Stored s = Codecs.compress(record);
      value = s.bytes();
      as = s.compression();
    }
    return staging.append(record, value, as, preEncode(record, value, as));
  }

  @Override
  public List<Position> appendBatch(List<WalRecord> records) throws IOException {
    if (records.isEmpty()) {
      return List.of();
    }
    List<Codecs.Stored> stored = new ArrayList<>(records.size());
    for (WalRecord r : records) {
      stored.add(Codecs.compress(r));
    }
    return staging.appendBatch(records, stored);
  }

  @Override
  public CompletableFuture<Position> appendAsync(WalRecord record) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    try {
      Codecs.Stored s = Codecs.compress(record);
      ByteBuffer encoded = preEncode(record, s.bytes(), s.compression());
      staging.appendAsync(record, s.bytes(), s.compression(), encoded, f);
    } catch (IOException | RuntimeException e) {
      f.completeExceptionally(e);
    }
    return f.thenApply(o -> (Position) o);
  }

  /**
   * Encodes a small record into this thread's scratch buffer, so the lock is held only for a copy;
   * null for a record too large for it (it is then encoded under the lock).
   */
  private static @Nullable ByteBuffer preEncode(WalRecord r, byte[] value, Compression as) {
    long size = RecordFormat.encodedSize(r, value.length);
    if (size > PRE_ENCODE_MAX) {
      return null;
    }
    Scratch sc = SCRATCH.get();
    ByteBuffer b = sc.buf;
    b.clear();
    RecordFormat.write(b, r, value, as, sc.crc);
    return b.flip();
  }

  @Override
  public void sync() throws IOException {
    staging.request(true, false);
  }

  @Override
  public void flush() throws IOException {
    staging.request(false, true);
  }

  @Override
  public void rotate() throws IOException {
    staging.rotate();
  }

  // ------------------------------------------------------------------ close

  /**
   * Asks the writer to finish and waits until it has (see {@link Wal#close}). Idempotent and safe
   * from any thread: called on the thread writing the log (from a listener, on the pool thread
   * running this log's writer task or on an appender committing its own round) it only asks, and
   * the writer task completes the close once that commit ends. Called on a pool thread running
   * another log, it waits like any caller (it holds that thread meanwhile). Every call that waits
   * reports the same outcome.
   */
  @Override
  public void close() throws IOException {
    staging.requestClose();
    if (staging.onWriterSide()) {
      return;
    }
    awaitClosed();
    if (!completions.isRunningTasksHere()) {
      // Every appendAsync future is complete when close returns (unless close runs inside one of
      // this log's own callbacks, which must not wait for itself).
      completions.drainUninterruptibly();
    }
    IOException e = closeError;
    if (e != null) {
      throw e;
    }
  }

  private void awaitClosed() {
    Uninterruptibly.await(closed);
  }

  /**
   * The last thing the writer task does, on its last run: fails callers still waiting, returns the
   * staging chunks, closes an unclean channel, stops segment preparation, writes the clean-shutdown
   * marker if the close was clean, and releases the directory lock.
   */
  private void shutDown() {
    IOException error = null;
    List<Waiter> leftovers = new ArrayList<>();
    Lifecycle.Ending end = staging.drain(leftovers);
    committer.failAll(
        leftovers,
        end.cause() != null
            ? staging.life().failed()
            : new IllegalStateException("log in " + dir + " was closed"));
    if (!end.clean()) {
      try {
        segment.closeAsIs();
      } catch (IOException e) {
        error = e;
      }
    }
    preparer.shutDown(end.crash());
    registry.endDeletions();
    if (end.clean()) {
      try {
        registry.marker(segment.segmentId(), staging.snapshot().activeRecords()).write(dir);
      } catch (IOException e) {
        error = e;
      }
    }
    if (end.failedWhileClosing()) {
      LogFailedException lf =
          new LogFailedException(
              "closing the log in "
                  + dir
                  + " failed; data appended since the last successful force may be lost (no clean"
                  + " marker was written): "
                  + end.cause(),
              end.cause());
      if (error != null) {
        lf.addSuppressed(error);
      }
      error = lf;
    }
    try {
      dirLock.close();
    } catch (IOException e) {
      if (error == null) {
        error = e;
      } else {
        error.addSuppressed(e);
      }
    }
    staging.life().state(end.failedWhileClosing() ? WalState.FAILED : WalState.CLOSED);
    committer.publishVisible();
    closeError = end.crash() ? null : error;
    closed.countDown();
  }

  /**
   * For tests: stops the log the way a killed process would. Staged bytes are dropped, written but
   * unforced bytes stay in the page cache, nothing is trimmed and no clean-shutdown marker is
   * written; the directory lock is released.
   */
  void crashForTesting() throws IOException {
    staging.requestCrash();
    awaitClosed();
    staging.life().state(WalState.CLOSED);
  }

  /** For tests: whether the log holds staging chunks (an idle one gives them back). */
  boolean holdsStagingChunks() {
    return staging.snapshot().holdsChunks();
  }

  // ------------------------------------------------------------------ reading and metadata

  @Override
  public Position visibleEnd() {
    return visibility.end();
  }

  @Override
  public boolean isClosed() {
    return staging.life().state() != WalState.OPEN;
  }

  @Override
  public void awaitBeyond(Position seen, long nanos) throws InterruptedException {
    visibility.awaitBeyond(seen, nanos, this::isClosed);
  }

  @Override
  public @Nullable SegmentInfo segment(long id) {
    return registry.get(id);
  }

  @Override
  public @Nullable Long firstSegmentId() {
    return registry.firstId();
  }

  @Override
  public Path directory() {
    return dir;
  }

  @Override
  public WalReader readFrom(Position position) throws IOException {
    return new SegmentReader(this, position);
  }

  @Override
  public SegmentDeletion deleteSegmentsBefore(Position position) throws IOException {
    return registry.deleteBefore(
        position,
        segment::segmentId,
        () -> {
          WalState s = staging.life().state();
          if (s == WalState.FAILED) {
            throw staging.life().failed();
          }
          if (s == WalState.CLOSED) {
            throw new IllegalStateException("log in " + dir + " is closed");
          }
        });
  }

  @Override
  public RetentionClaim retain(String holder, Supplier<Position> oldestNeeded) {
    return registry.retain(holder, oldestNeeded);
  }

  @Override
  public List<SegmentInfo> segments() {
    return registry.view(segment.segmentId(), segment.writtenPos());
  }

  @Override
  public Position currentPosition() {
    return staging.snapshot().current();
  }

  @Override
  public WalStats stats() {
    StagingSnapshot s = staging.snapshot();
    long onDisk = 0;
    List<SegmentInfo> segs = segments();
    for (SegmentInfo si : segs) {
      onDisk += si.size();
    }
    return new WalStats(
        staging.life().state(),
        s.records(),
        s.bytes(),
        segment.fsyncCount(),
        segment.fsyncTotalNanos(),
        segment.fsyncMaxNanos(),
        segs.size(),
        segment.segmentId(),
        onDisk,
        s.current(),
        rule.readersSeeWritten() ? segment.writtenPos() : segment.durablePos(),
        segment.rotations(),
        s.queued(),
        s.unforced(),
        s.age());
  }

  @Override
  public WalState state() {
    return staging.life().state();
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.ofNullable(staging.life().failure());
  }

  @Override
  public WalConfig config() {
    return config;
  }

  @Override
  public RecoveryInfo recoveryInfo() {
    return recoveryInfo;
  }

  @Override
  public void addListener(WalListener listener) {
    events.add(listener);
  }

  @Override
  public void removeListener(WalListener listener) {
    events.remove(listener);
  }

  @Override
  public String toString() {
    return "Wal[" + dir + ", " + staging.life().state() + "]";
  }
}
