package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The file-backed {@link Wal}.
 *
 * <p>Appenders compress and (for records up to {@link #PRE_ENCODE_MAX}) encode and checksum
 * outside the lock, then, under {@link #mu}, take the next position and copy the record into a 1
 * MiB staging chunk (no syscall, no per-append allocation beyond the returned position). A single writer thread owns the writable channel: it drains every staged
 * chunk, writes them positionally, forces once for the whole batch when the policy asks, and then
 * completes the waiting appenders in order (group commit). Rotation is decided when positions are
 * assigned, so a rotation marker travels in the staging queue and the writer seals the old segment
 * (write, trim, force) and moves the next segment, prepared in the background, into place.
 *
 * <p>Thread-safe. Lock order: {@link #mu}, then {@link #visibility}; the writer does no I/O while
 * holding {@link #mu}.
 */
final class SegmentedWal implements Wal, LogView {
  static final int CHUNK = 1 << 20;
  /** While zero-filling a new segment, force every this many bytes (a multiple of CHUNK). */
  static final long PREPARE_FORCE_BYTES = 8L << 20;
  /** Staged bytes beyond which appenders wait for the writer (bounded memory). */
  static final long MAX_STAGED = 16L << 20;
  /** Under os() and batch, staged bytes that wake the writer early. */
  static final int WAKE_BYTES = 64 * 1024;
  /** Under os() and batch, the longest staged bytes wait before being written to the OS. */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /**
   * Under always(), how long the idle writer polls for the next append before parking, and how long
   * a lone appender polls for its force before parking. Both are about one device sync: a futex
   * wake-up costs 10–20 µs on a small VM, a tenth of an fdatasync (see wal-benchmarks).
   */
  static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

  private enum Policy {
    ALWAYS,
    BATCH,
    OS
  }

  private static final class Waiter {
    final long end;
    final CompletableFuture<Object> future;
    final Object result;
    /** The future was handed to the caller: complete it off the writer thread. */
    final boolean async;

    Waiter(long end, CompletableFuture<Object> future, Object result) {
      this(end, future, result, false);
    }

    Waiter(long end, CompletableFuture<Object> future, Object result, boolean async) {
      this.end = end;
      this.future = future;
      this.result = result;
      this.async = async;
    }
  }

  private record Rotation(long newSegmentId) {}

  private record Prepared(long id, Path tmp, FileChannel channel) {}

  private final WalConfig config;
  private final Path dir;
  private final ChannelOpener opener;
  private final DirectoryLock dirLock;
  private final RecoveryInfo recoveryInfo;
  private final CopyOnWriteArrayList<WalListener> listeners;
  private final Policy policy;
  private final long windowNanos;

  // ---- guarded by mu
  private final ReentrantLock mu = new ReentrantLock();
  private final Condition work = mu.newCondition();
  private final Condition space = mu.newCondition();
  /** Signalled after every force (and when the log stops): appenders held by the batch window. */
  private final Condition forced = mu.newCondition();
  private ByteBuffer active = BufferPool.take(CHUNK);
  private final ArrayDeque<Object> staged = new ArrayDeque<>();
  private final ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();
  private long stagedBytes;
  private long stagedSinceNanos;
  /**
   * When the oldest append not yet covered by a force was staged (0 if none); under batch a force
   * is due {@link #windowNanos} after it, and appenders are held back once it is older than that.
   */
  private long unforcedSinceNanos;
  private long nextSeq;
  private long segId;
  private long segSize;
  private final ArrayDeque<Waiter> durableWaiters = new ArrayDeque<>();
  private final ArrayDeque<Waiter> writtenWaiters = new ArrayDeque<>();
  private boolean forceRequested;
  private boolean flushRequested;
  private boolean closing;
  private boolean writerIdle;
  /** True while the idle writer waits without a timeout (it must then be woken for new data). */
  private boolean writerWaitsForever;
  /** Set by appenders when they stage; the spinning writer polls it without the lock. */
  private volatile boolean workPosted;
  /** Appenders completed by the writer's last round (writer thread only). */
  private int lastRoundWaiters;
  private Throwable failure;
  /** A write or force failed after close began: close reports it and leaves the log FAILED. */
  private boolean failedWhileClosing;
  /** Set by {@link #crashForTesting}: the writer stops as a killed process would. */
  private boolean crashing;
  private volatile WalState state = WalState.OPEN;
  /** Counted down by the writer thread when it has finished closing the log. */
  private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
  private volatile IOException closeError;
  private final Completions.Serial completions = Completions.serial();
  private long recordsAppended;
  private long bytesAppended;
  /** Records in the segment positions are being assigned in ({@link #segId}). */
  private long segRecords;
  /** Records per earlier segment, for the clean-shutdown marker and after deletions. */
  private final Map<Long, Long> segmentRecords = new java.util.concurrent.ConcurrentHashMap<>();
  private final CRC32C crc = new CRC32C();

  /** Records up to this size are encoded (and checksummed) by the appender before it locks. */
  static final int PRE_ENCODE_MAX = 8 * 1024;

  /** Per appending thread: a scratch buffer and CRC for encoding outside the lock. */
  private static final class Scratch {
    final ByteBuffer buf = ByteBuffer.allocate(PRE_ENCODE_MAX);
    final CRC32C crc = new CRC32C();
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  // ---- owned by the writer thread (volatile where others read)
  private final Thread writer;
  private FileChannel channel;
  private volatile long writeSegId;
  private long writeOffset;
  private volatile long writtenSeq;
  private volatile long durableSeq;
  private volatile Position writtenPos;
  private volatile Position durablePos;
  private Future<Prepared> nextPrepared;
  private final ExecutorService preparer;
  private volatile long fsyncCount;
  private volatile long fsyncTotalNanos;
  private volatile long fsyncMaxNanos;
  private volatile long rotations;

  private final ConcurrentSkipListMap<Long, SegmentInfo> segments = new ConcurrentSkipListMap<>();
  private final Object deletion = new Object();
  private final RetentionClaims claims = new RetentionClaims();

  // ---- reader wake-ups
  private final ReentrantLock visibility = new ReentrantLock();
  private final Condition advanced = visibility.newCondition();
  private volatile Position visible;
  private volatile int waitingReaders;

  private SegmentedWal(
      WalConfig config,
      ChannelOpener opener,
      DirectoryLock dirLock,
      RecoveryInfo info,
      List<Recovery.Segment> recovered)
      throws IOException {
    this.config = config;
    this.dir = config.directory();
    this.opener = opener;
    this.dirLock = dirLock;
    this.recoveryInfo = info;
    this.listeners = new CopyOnWriteArrayList<>(config.listeners());
    FsyncPolicy p = config.fsyncPolicy();
    if (p instanceof FsyncPolicy.Batch b) {
      policy = Policy.BATCH;
      windowNanos = b.window().toNanos();
    } else {
      policy = p instanceof FsyncPolicy.Always ? Policy.ALWAYS : Policy.OS;
      windowNanos = 0;
    }
    for (Recovery.Segment s : recovered) {
      segments.put(s.id(), new SegmentInfo(s.id(), s.fileName(), s.size(), true));
      segmentRecords.put(s.id(), s.records());
    }
    preparer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "nori-wal-prepare " + dir.getFileName());
              t.setDaemon(true);
              return t;
            });
    try {
      if (segments.isEmpty()) {
        Prepared first = prepare(0);
        publish(first);
        channel = first.channel();
        writeSegId = 0;
        writeOffset = 0;
      } else {
        SegmentInfo last = segments.lastEntry().getValue();
        channel =
            opener.open(dir.resolve(last.fileName()), StandardOpenOption.READ, StandardOpenOption.WRITE);
        writeSegId = last.id();
        writeOffset = last.size();
      }
      segments.put(
          writeSegId, new SegmentInfo(writeSegId, fileNameOf(recovered, writeSegId), writeOffset, false));
    } catch (IOException | RuntimeException e) {
      preparer.shutdownNow();
      throw e;
    }
    segId = writeSegId;
    segSize = writeOffset;
    Long activeRecords = segmentRecords.remove(writeSegId);
    segRecords = activeRecords == null ? 0 : activeRecords;
    writtenPos = durablePos = visible = new Position(segId, segSize);
    nextPrepared = preparer.submit(() -> prepare(writeSegId + 1));
    writer = new Thread(this::runWriterThenShutDown, "nori-wal-writer " + dir.getFileName());
    writer.setDaemon(true);
    writer.start();
  }

  private static String fileNameOf(List<Recovery.Segment> recovered, long id) {
    for (Recovery.Segment s : recovered) {
      if (s.id() == id) {
        return s.fileName();
      }
    }
    return SegmentName.toFileName(id);
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
        outcome = trusted(dir, config.recoveryMode(), marker.get(), t0);
        if (outcome != null) {
          Recovery.removeTemporaries(dir);
        }
      }
      if (outcome == null) {
        outcome =
            Recovery.recover(dir, config.recoveryMode(), e -> emit(config.listeners(), e), opener);
      }
      // Invalidate the marker before anything new is appended.
      CleanMarker.delete(dir);
      SegmentedWal wal = new SegmentedWal(config, opener, lock, outcome.info(), outcome.segments());
      wal.emit(new WalEvent.RecoveryCompleted(dir, outcome.info()));
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

  /**
   * The recovery outcome a valid clean-shutdown marker vouches for, or null if in doubt: every
   * segment file must be one the marker names, with the same size and identity, and ids contiguous.
   */
  private static Recovery.Outcome trusted(Path dir, RecoveryMode mode, CleanMarker m, long t0)
      throws IOException {
    List<SegmentName> names = Recovery.list(dir);
    if (names.isEmpty() || names.size() != m.segments().size()) {
      return null;
    }
    for (int i = 1; i < names.size(); i++) {
      if (names.get(i).id() != names.get(i - 1).id() + 1) {
        return null;
      }
    }
    List<CleanMarker.Entry> now = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      now.add(CleanMarker.describe(dir.resolve(names.get(i).fileName()), m.segments().get(i).records()));
    }
    if (!m.matches(now)) {
      return null;
    }
    List<Recovery.Segment> segs = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      SegmentName n = names.get(i);
      segs.add(new Recovery.Segment(n.id(), n.fileName(), now.get(i).size(), now.get(i).records()));
    }
    SegmentName last = names.get(names.size() - 1);
    long lastSize = now.get(now.size() - 1).size();
    RecoveryInfo info =
        new RecoveryInfo(
            mode,
            m.records(),
            names.size(),
            0,
            segs.stream().mapToLong(Recovery.Segment::size).sum(),
            0,
            0,
            0,
            List.of(),
            RecoveryInfo.Action.NONE,
            new Position(last.id(), lastSize),
            true,
            Duration.ofNanos(System.nanoTime() - t0));
    return new Recovery.Outcome(info, segs);
  }

  // ------------------------------------------------------------------ segment preparation

  /** Creates {@code id}'s file under a temporary name, zero-filled when preallocating, forced. */
  private Prepared prepare(long id) throws IOException {
    Path tmp = dir.resolve(SegmentName.toFileName(id) + ".tmp");
    FileChannel ch =
        opener.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    try {
      if (config.preallocate()) {
        // Real zero blocks rather than a sparse file or fallocate's unwritten extents: a full disk
        // fails here, and later appends overwrite allocated blocks without metadata changes.
        ByteBuffer zeros = BufferPool.ZEROS.duplicate();
        long size = config.maxSegmentSize();
        boolean forceAsWeGo = policy != Policy.OS;
        for (long p = 0; p < size; ) {
          zeros.clear();
          zeros.limit((int) Math.min(CHUNK, size - p));
          int n = zeros.limit();
          Fs.writeFully(ch, zeros, p);
          p += n;
          if (forceAsWeGo && p % PREPARE_FORCE_BYTES == 0) {
            // Small bursts: the appenders' fdatasyncs queue behind 8 MiB, not the whole segment.
            ch.force(false);
          }
        }
      }
      if (policy != Policy.OS) {
        // Forcing the zeros now keeps later fdatasyncs of this segment free of allocation work.
        // Under os() nothing waits for a force, so the zeros are left to write-back; forcing them
        // would only write the segment to disk twice.
        ch.force(true);
      }
      return new Prepared(id, tmp, ch);
    } catch (IOException | RuntimeException e) {
      try {
        ch.close();
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Moves a prepared segment into place and forces the directory. */
  private void publish(Prepared p) throws IOException {
    opener.move(p.tmp(), dir.resolve(SegmentName.toFileName(p.id())));
    opener.forceDirectory(dir);
  }

  private Prepared takePrepared(long id) throws IOException {
    Future<Prepared> f = nextPrepared;
    nextPrepared = null;
    if (f != null) {
      try {
        Prepared p = getUninterruptibly(f);
        if (p.id() == id) {
          return p;
        }
        p.channel().close();
        Files.deleteIfExists(p.tmp());
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof IOException io) {
          throw new IOException("preparing segment " + SegmentName.toFileName(id) + " failed: " + io.getMessage(), io);
        }
        throw new IOException("preparing segment " + SegmentName.toFileName(id) + " failed", c);
      }
    }
    return prepare(id);
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
    ByteBuffer encoded = preEncode(record, value, as);
    CompletableFuture<Object> f = null;
    Position pos;
    boolean alone = false;
    mu.lock();
    try {
      pos = stage(record, value, as, encoded, true);
      if (policy == Policy.ALWAYS) {
        f = new CompletableFuture<>();
        durableWaiters.add(new Waiter(nextSeq, f, pos));
        alone = durableWaiters.size() == 1;
      }
      wakeWriterAfterStage();
    } finally {
      mu.unlock();
    }
    if (f != null) {
      if (alone) {
        // A lone appender polls for its force briefly instead of parking at once; with many
        // appenders the cores are better left to the writer.
        long until = System.nanoTime() + SPIN_NANOS;
        while (!f.isDone() && System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      }
      await(f);
    }
    return pos;
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
    List<Position> positions = new ArrayList<>(records.size());
    CompletableFuture<Object> f = null;
    mu.lock();
    try {
      for (int i = 0; i < records.size(); i++) {
        Codecs.Stored st = stored.get(i);
        positions.add(stage(records.get(i), st.bytes(), st.compression(), null, i == 0));
      }
      if (policy == Policy.ALWAYS) {
        f = new CompletableFuture<>();
        durableWaiters.add(new Waiter(nextSeq, f, null));
      }
      wakeWriterAfterStage();
    } finally {
      mu.unlock();
    }
    if (f != null) {
      await(f);
    }
    return List.copyOf(positions);
  }

  @Override
  public CompletableFuture<Position> appendAsync(WalRecord record) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    try {
      Codecs.Stored s = Codecs.compress(record);
      ByteBuffer encoded = preEncode(record, s.bytes(), s.compression());
      mu.lock();
      try {
        // Not acknowledged before its force: no need to hold it back for the window.
        Position pos = stage(record, s.bytes(), s.compression(), encoded, false);
        (policy == Policy.OS ? writtenWaiters : durableWaiters)
            .add(new Waiter(nextSeq, f, pos, true));
        wakeWriterAfterStage();
      } finally {
        mu.unlock();
      }
    } catch (IOException | RuntimeException e) {
      f.completeExceptionally(e);
    }
    return f.thenApply(o -> (Position) o);
  }

  /**
   * Encodes a small record into this thread's scratch buffer, so the lock is held only for a copy;
   * null for a record too large for it (it is then encoded under the lock).
   */
  private static ByteBuffer preEncode(WalRecord r, byte[] value, Compression as) {
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


  /**
   * Assigns a position and puts the record into the staging area, copying {@code encoded} when the
   * appender encoded it already. Caller holds {@link #mu}.
   */
  private Position stage(
      WalRecord r, byte[] value, Compression as, ByteBuffer encoded, boolean holdForWindow)
      throws IOException {
    long size = RecordFormat.encodedSize(r, value.length);
    if (size > config.maxSegmentSize()) {
      throw new IllegalArgumentException(
          "record of " + size + " encoded bytes exceeds maxSegmentSize " + config.maxSegmentSize());
    }
    if (Thread.currentThread() == writer) {
      throw new IllegalStateException(
          "append called on the log's writer thread (from a listener or a future callback); use"
              + " an *Async stage or another thread");
    }
    checkWritable();
    if (holdForWindow && policy == Policy.BATCH) {
      holdWhileWindowExceeded();
    }
    while (stagedBytes > 0 && stagedBytes + size > MAX_STAGED) {
      if (writerIdle) {
        work.signal();
      }
      space.awaitUninterruptibly();
      checkWritable();
    }
    if (segSize > 0 && segSize + size > config.maxSegmentSize()) {
      sealActive();
      staged.add(new Rotation(segId + 1));
      startNextSegment();
    }
    Position pos = new Position(segId, segSize);
    if (size > CHUNK) {
      sealActive();
      ByteBuffer big = ByteBuffer.allocate((int) size);
      RecordFormat.write(big, r, value, as, crc);
      big.flip();
      staged.add(big);
    } else {
      if (active.remaining() < size) {
        sealActive();
      }
      if (encoded != null) {
        active.put(encoded);
      } else {
        RecordFormat.write(active, r, value, as, crc);
      }
    }
    if (stagedBytes == 0) {
      stagedSinceNanos = System.nanoTime();
      if (unforcedSinceNanos == 0) {
        unforcedSinceNanos = stagedSinceNanos;
      }
    }
    segSize += size;
    nextSeq += size;
    stagedBytes += size;
    workPosted = true;
    segRecords++;
    recordsAppended++;
    bytesAppended += size;
    return pos;
  }

  /**
   * Under batch, acknowledges nothing new while the oldest acknowledged-but-unforced append is
   * older than the window: waits for the force that covers it (which the writer has due). This is
   * what keeps the window's promise when forces are slower than the window. Caller holds {@link
   * #mu}.
   */
  private void holdWhileWindowExceeded() throws IOException {
    while (unforcedSinceNanos != 0
        && durableSeq < nextSeq
        && System.nanoTime() - unforcedSinceNanos >= windowNanos) {
      if (writerIdle) {
        work.signal();
      }
      forced.awaitUninterruptibly();
      checkWritable();
    }
  }

  /** Positions now go to the next segment. Caller holds {@link #mu}. */
  private void startNextSegment() {
    segmentRecords.put(segId, segRecords);
    segId++;
    segSize = 0;
    segRecords = 0;
  }

  private void wakeWriterAfterStage() {
    if (writerIdle && (policy == Policy.ALWAYS || writerWaitsForever || stagedBytes >= WAKE_BYTES)) {
      work.signal();
    }
  }

  private void sealActive() {
    if (active.position() > 0) {
      active.flip();
      staged.add(active);
      ByteBuffer next = pool.poll();
      active = next != null ? next : BufferPool.take(CHUNK);
      active.clear();
    }
  }

  private void checkWritable() throws IOException {
    if (failure != null) {
      throw failed();
    }
    if (closing) {
      throw new IllegalStateException("log in " + dir + " is closed");
    }
  }

  private LogFailedException failed() {
    return new LogFailedException(
        "log in " + dir + " has failed and accepts no more appends; reopen it to recover: " + failure,
        failure);
  }

  private static void await(CompletableFuture<Object> f) throws IOException {
    try {
      f.join();
    } catch (CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IOException(c);
    }
  }

  // ------------------------------------------------------------------ explicit durability

  @Override
  public void sync() throws IOException {
    request(true, false);
  }

  @Override
  public void flush() throws IOException {
    request(false, true);
  }

  @Override
  public void rotate() throws IOException {
    CompletableFuture<Object> f = new CompletableFuture<>();
    mu.lock();
    try {
      checkWritable();
      if (segSize == 0) {
        return;
      }
      sealActive();
      staged.add(new Rotation(segId + 1));
      startNextSegment();
      flushRequested = true;
      writtenWaiters.add(new Waiter(nextSeq, f, null));
      work.signal();
    } finally {
      mu.unlock();
    }
    await(f);
  }

  private void request(boolean force, boolean flush) throws IOException {
    if (Thread.currentThread() == writer) {
      throw new IllegalStateException("sync/flush called on the log's writer thread");
    }
    CompletableFuture<Object> f = new CompletableFuture<>();
    mu.lock();
    try {
      checkWritable();
      if (force) {
        if (durableSeq >= nextSeq && stagedBytes == 0) {
          return;
        }
        forceRequested = true;
        durableWaiters.add(new Waiter(nextSeq, f, null));
      } else {
        if (writtenSeq >= nextSeq && stagedBytes == 0) {
          return;
        }
        flushRequested = flush;
        writtenWaiters.add(new Waiter(nextSeq, f, null));
      }
      work.signal();
    } finally {
      mu.unlock();
    }
    await(f);
  }

  // ------------------------------------------------------------------ the writer thread

  private void runWriter() {
    List<Object> items = new ArrayList<>();
    List<Waiter> done = new ArrayList<>();
    while (true) {
      long target;
      Position targetPos;
      boolean force;
      long takeNanos;
      mu.lock();
      try {
        boolean spun = false;
        while (true) {
          if (failure != null) {
            if (closing) {
              return;
            }
            writerIdle = true;
            work.awaitUninterruptibly();
            writerIdle = false;
            continue;
          }
          long now = System.nanoTime();
          boolean hasData = stagedBytes > 0 || active.position() > 0;
          boolean unforced = durableSeq < nextSeq;
          boolean batchDue =
              policy == Policy.BATCH
                  && unforced
                  && unforcedSinceNanos != 0
                  && now - unforcedSinceNanos >= windowNanos;
          boolean lingerDue =
              hasData && (stagedBytes >= WAKE_BYTES || now - stagedSinceNanos >= LINGER_NANOS);
          if (closing
              || forceRequested
              || flushRequested
              || batchDue
              || (policy == Policy.ALWAYS && (hasData || unforced))
              || lingerDue) {
            break;
          }
          if (policy == Policy.ALWAYS && !spun && lastRoundWaiters <= 1) {
            // One appender at a time: poll briefly for its next append before parking (see
            // SPIN_NANOS). With many appenders the cores are theirs while they wake up.
            spun = true;
            workPosted = false;
            mu.unlock();
            try {
              long until = System.nanoTime() + SPIN_NANOS;
              while (!workPosted && System.nanoTime() < until) {
                Thread.onSpinWait();
              }
            } finally {
              mu.lock();
            }
            continue;
          }
          long wait = Long.MAX_VALUE;
          if (hasData) {
            wait = Math.min(wait, stagedSinceNanos + LINGER_NANOS - now);
          }
          if (policy == Policy.BATCH && unforced && unforcedSinceNanos != 0) {
            wait = Math.min(wait, unforcedSinceNanos + windowNanos - now);
          }
          writerIdle = true;
          writerWaitsForever = wait == Long.MAX_VALUE;
          try {
            if (wait == Long.MAX_VALUE) {
              work.awaitUninterruptibly();
            } else if (wait > 0) {
              work.awaitNanos(wait);
            }
          } catch (InterruptedException e) {
            // The writer is never interrupted by the log; an outside interrupt is ignored so the
            // channel stays open.
          } finally {
            writerIdle = false;
            writerWaitsForever = false;
          }
        }
        takeNanos = System.nanoTime();
        sealActive();
        items.addAll(staged);
        staged.clear();
        stagedBytes = 0;
        space.signalAll();
        target = nextSeq;
        targetPos = new Position(segId, segSize);
        force =
            closing
                || forceRequested
                || policy == Policy.ALWAYS
                || (policy == Policy.BATCH
                    && unforcedSinceNanos != 0
                    && takeNanos - unforcedSinceNanos >= windowNanos);
        forceRequested = false;
        flushRequested = false;
      } finally {
        mu.unlock();
      }

      boolean ok = writeAndForce(items, target, targetPos, force);
      boolean finished = false;

      mu.lock();
      try {
        if (ok) {
          if (force) {
            unforcedSinceNanos = nextSeq == target ? 0 : takeNanos;
          }
          if (durableSeq >= nextSeq) {
            unforcedSinceNanos = 0; // e.g. a rotation forced everything
          }
          forced.signalAll();
          long d = durableSeq;
          long w = writtenSeq;
          while (!durableWaiters.isEmpty() && durableWaiters.peek().end <= d) {
            done.add(durableWaiters.poll());
          }
          while (!writtenWaiters.isEmpty() && writtenWaiters.peek().end <= w) {
            done.add(writtenWaiters.poll());
          }
          lastRoundWaiters = done.size();
        }
        for (Object o : items) {
          if (o instanceof ByteBuffer b && b.isDirect() && b.capacity() == CHUNK && pool.size() < 4) {
            b.clear();
            pool.add(b);
          }
        }
        finished = closing && failure == null && staged.isEmpty() && active.position() == 0;
      } finally {
        mu.unlock();
      }
      if (finished) {
        finishClose(); // no appender can stage any more: closing is set
      }
      items.clear();
      publishVisible();
      complete(done); // outside the lock: completions may run callers' callbacks
      if (finished) {
        return;
      }
    }
  }

  /**
   * Completes waiters in order. Futures handed to callers ({@code appendAsync}) complete on the
   * shared completion pool, so no caller's callback ever runs on the writer thread; the internal
   * futures of synchronous calls complete here (nothing but their waiting caller depends on them).
   */
  private void complete(List<Waiter> done) {
    List<Waiter> async = null;
    for (Waiter w : done) {
      if (w.async) {
        if (async == null) {
          async = new ArrayList<>();
        }
        async.add(w);
      } else {
        w.future.complete(w.result);
      }
    }
    done.clear();
    if (async != null) {
      List<Waiter> later = async;
      completions.execute(
          () -> {
            for (Waiter w : later) {
              w.future.complete(w.result);
            }
          });
    }
  }

  /** Fails waiters with {@code e}, callers' futures on the completion pool. */
  private void failAll(List<Waiter> waiters, Throwable e) {
    List<Waiter> async = new ArrayList<>();
    for (Waiter w : waiters) {
      if (w.async) {
        async.add(w);
      } else {
        w.future.completeExceptionally(e);
      }
    }
    if (!async.isEmpty()) {
      completions.execute(
          () -> {
            for (Waiter w : async) {
              w.future.completeExceptionally(e);
            }
          });
    }
  }

  /** Writes the batch and forces if asked; on failure fences the log. Returns success. */
  private boolean writeAndForce(List<Object> items, long target, Position targetPos, boolean force) {
    try {
      long seq = writtenSeq;
      int bytes = 0;
      for (Object o : items) {
        if (o instanceof ByteBuffer b) {
          int n = b.remaining();
          Fs.writeFully(channel, b, writeOffset);
          writeOffset += n;
          seq += n;
          bytes += n;
        } else if (o instanceof Rotation r) {
          rotateTo(r.newSegmentId(), seq);
        }
      }
      writtenPos = targetPos;
      writtenSeq = target;
      if (force && durableSeq < target) {
        long t0 = System.nanoTime();
        channel.force(false);
        long dt = System.nanoTime() - t0;
        fsyncCount++;
        fsyncTotalNanos += dt;
        if (dt > fsyncMaxNanos) {
          fsyncMaxNanos = dt;
        }
        durableSeq = target;
        durablePos = targetPos;
        emit(new WalEvent.FsyncCompleted(dir, writeSegId, Duration.ofNanos(dt), bytes, items.size()));
      }
      return true;
    } catch (IOException | RuntimeException | Error e) {
      fence(e);
      return false;
    }
  }

  /** Seals the active segment (trim to its records, force) and moves the next one into place. */
  private void rotateTo(long newId, long seqAtRotation) throws IOException {
    long oldId = writeSegId;
    long sealedSize = writeOffset;
    long t0 = System.nanoTime();
    channel.truncate(sealedSize);
    channel.force(true);
    long dt = System.nanoTime() - t0;
    fsyncCount++;
    fsyncTotalNanos += dt;
    if (dt > fsyncMaxNanos) {
      fsyncMaxNanos = dt;
    }
    channel.close();
    String oldName = segments.get(oldId).fileName();
    segments.put(oldId, new SegmentInfo(oldId, oldName, sealedSize, true));
    Prepared p = takePrepared(newId);
    publish(p);
    channel = p.channel();
    writeSegId = newId;
    writeOffset = 0;
    segments.put(newId, new SegmentInfo(newId, SegmentName.toFileName(newId), 0, false));
    writtenSeq = seqAtRotation;
    durableSeq = Math.max(durableSeq, seqAtRotation);
    writtenPos = durablePos = new Position(newId, 0);
    rotations++;
    emit(new WalEvent.SegmentRotated(dir, oldId, sealedSize, newId));
    nextPrepared = preparer.submit(() -> prepare(newId + 1));
  }

  /** Stops the log after a failed write or force. */
  private void fence(Throwable cause) {
    List<Waiter> toFail = new ArrayList<>();
    boolean first;
    mu.lock();
    try {
      first = failure == null;
      if (first) {
        failure = cause;
        state = WalState.FAILED;
        failedWhileClosing = closing && !crashing;
      }
      toFail.addAll(durableWaiters);
      toFail.addAll(writtenWaiters);
      durableWaiters.clear();
      writtenWaiters.clear();
      staged.clear();
      active.clear();
      stagedBytes = 0;
      space.signalAll();
      forced.signalAll();
    } finally {
      mu.unlock();
    }
    LogFailedException ex;
    mu.lock();
    try {
      ex = failed();
    } finally {
      mu.unlock();
    }
    failAll(toFail, ex);
    if (first) {
      emit(new WalEvent.LogFailed(dir, cause));
    }
  }

  /** Final force and trim on a clean close; runs on the writer thread, without {@link #mu}. */
  private void finishClose() {
    try {
      channel.force(false);
      channel.truncate(writeOffset);
      channel.force(true);
      channel.close();
      segments.put(writeSegId, new SegmentInfo(writeSegId, segments.get(writeSegId).fileName(), writeOffset, true));
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      mu.lock();
      try {
        failure = e;
        state = WalState.FAILED;
        failedWhileClosing = true;
      } finally {
        mu.unlock();
      }
      emit(new WalEvent.LogFailed(dir, e));
    }
  }

  // ------------------------------------------------------------------ close

  /**
   * Asks the writer to finish and waits until it has (see {@link Wal#close}). Idempotent and safe
   * from any thread: called on the writer thread itself (from a listener) it only asks, and the
   * writer completes the close when it unwinds. Every call that waits reports the same outcome.
   */
  @Override
  public void close() throws IOException {
    mu.lock();
    try {
      if (!closing) {
        closing = true;
        work.signal();
        space.signalAll();
        forced.signalAll();
      }
    } finally {
      mu.unlock();
    }
    if (Thread.currentThread() == writer) {
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
    boolean interrupted = false;
    while (true) {
      try {
        closed.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void runWriterThenShutDown() {
    try {
      runWriter();
    } finally {
      shutDown();
    }
  }

  /**
   * The last thing the writer thread does: fails waiters still queued, returns the staging buffers,
   * stops segment preparation (waiting only for a preparation already running, never for one its
   * stopped executor will not run), writes the clean-shutdown marker if the close was clean, and
   * releases the directory lock.
   */
  private void shutDown() {
    IOException error = null;
    List<Waiter> leftovers = new ArrayList<>();
    boolean clean;
    boolean crash;
    boolean failedNow;
    Throwable cause;
    mu.lock();
    try {
      leftovers.addAll(durableWaiters);
      leftovers.addAll(writtenWaiters);
      durableWaiters.clear();
      writtenWaiters.clear();
      staged.clear();
      stagedBytes = 0;
      BufferPool.give(active);
      for (ByteBuffer b; (b = pool.poll()) != null; ) {
        BufferPool.give(b);
      }
      active = ByteBuffer.allocate(0);
      closing = true;
      crash = crashing;
      clean = failure == null;
      failedNow = failedWhileClosing;
      cause = failure;
      space.signalAll();
      forced.signalAll();
    } finally {
      mu.unlock();
    }
    failAll(
        leftovers,
        cause != null ? failedUnderLock() : new IllegalStateException("log in " + dir + " was closed"));
    if (!clean && channel.isOpen()) {
      try {
        channel.close();
      } catch (IOException e) {
        error = e;
      }
    }
    // A preparation that never started is dropped (never waited on: its executor will not run
    // it); one already running finishes (bounded: one segment's zero-fill) and its file goes.
    // Future.cancel cannot tell the two apart: it "cancels" a running task and leaks its file.
    List<Runnable> neverStarted = preparer.shutdownNow();
    Future<Prepared> f = nextPrepared;
    nextPrepared = null;
    boolean interrupted = false;
    while (true) {
      try {
        if (preparer.awaitTermination(1, TimeUnit.DAYS)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (f != null && !neverStarted.contains(f) && f.isDone()) {
      try {
        Prepared p = f.get();
        p.channel().close();
        if (!crash) {
          Files.deleteIfExists(p.tmp());
        }
      } catch (ExecutionException | InterruptedException | IOException | RuntimeException e) {
        // Nothing was published from it; a leftover temporary file is removed at next open.
      }
    }
    if (clean) {
      try {
        Map<Long, Long> perSegment = new java.util.TreeMap<>(segmentRecords);
        perSegment.put(writeSegId, segRecords);
        long records = 0;
        List<CleanMarker.Entry> entries = new ArrayList<>();
        for (SegmentInfo si : segments.values()) {
          long n = perSegment.getOrDefault(si.id(), 0L);
          records += n;
          entries.add(CleanMarker.describe(dir.resolve(si.fileName()), n));
        }
        new CleanMarker(records, entries).write(dir);
      } catch (IOException e) {
        error = e;
      }
    }
    if (failedNow) {
      LogFailedException lf =
          new LogFailedException(
              "closing the log in "
                  + dir
                  + " failed; data appended since the last successful force may be lost (no clean"
                  + " marker was written): "
                  + cause,
              cause);
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
    state = failedNow ? WalState.FAILED : WalState.CLOSED;
    publishVisible();
    closeError = crash ? null : error;
    closed.countDown();
  }

  private static <T> T getUninterruptibly(Future<T> f) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * For tests: stops the log the way a killed process would. Staged bytes are dropped, written but
   * unforced bytes stay in the page cache, nothing is trimmed and no clean-shutdown marker is
   * written; the directory lock is released.
   */
  void crashForTesting() throws IOException {
    mu.lock();
    try {
      crashing = true;
      if (failure == null) {
        failure = new IOException("simulated crash");
      }
      closing = true;
      work.signal();
    } finally {
      mu.unlock();
    }
    awaitClosed();
    state = WalState.CLOSED;
  }

  // ------------------------------------------------------------------ reading and metadata

  private void publishVisible() {
    visible = policy == Policy.OS ? writtenPos : durablePos;
    if (waitingReaders > 0) {
      visibility.lock();
      try {
        advanced.signalAll();
      } finally {
        visibility.unlock();
      }
    }
  }

  @Override
  public Position visibleEnd() {
    return visible;
  }

  @Override
  public boolean isClosed() {
    return state != WalState.OPEN;
  }

  @Override
  public void awaitBeyond(Position seen, long nanos) throws InterruptedException {
    visibility.lock();
    try {
      waitingReaders++;
      try {
        long left = nanos;
        while (visible.equals(seen) && !isClosed() && left > 0) {
          left = advanced.awaitNanos(left);
        }
      } finally {
        waitingReaders--;
      }
    } finally {
      visibility.unlock();
    }
  }

  @Override
  public SegmentInfo segment(long id) {
    return segments.get(id);
  }

  @Override
  public Long firstSegmentId() {
    Map.Entry<Long, SegmentInfo> e = segments.firstEntry();
    return e == null ? null : e.getKey();
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
    synchronized (deletion) {
      if (state == WalState.FAILED) {
        throw failedUnderLock();
      }
      if (state == WalState.CLOSED) {
        throw new IllegalStateException("log in " + dir + " is closed");
      }
      long activeId = writeSegId;
      RetentionClaims.SegmentDeletionPlan plan =
          claims.plan(position, List.copyOf(segments.headMap(activeId, false).values()));
      int deleted = 0;
      for (SegmentInfo s : plan.delete()) {
        Files.deleteIfExists(dir.resolve(s.fileName()));
        segments.remove(s.id());
        segmentRecords.remove(s.id());
        deleted++;
        emit(new WalEvent.SegmentDeleted(dir, s.id(), s.size()));
      }
      if (deleted > 0) {
        opener.forceDirectory(dir);
      }
      return plan.result(deleted);
    }
  }

  @Override
  public RetentionClaim retain(String holder, java.util.function.Supplier<Position> oldestNeeded) {
    return claims.add(holder, oldestNeeded);
  }

  private LogFailedException failedUnderLock() {
    mu.lock();
    try {
      return failed();
    } finally {
      mu.unlock();
    }
  }

  @Override
  public List<SegmentInfo> segments() {
    List<SegmentInfo> out = new ArrayList<>();
    long activeId = writeSegId;
    for (SegmentInfo s : segments.values()) {
      if (s.id() == activeId && !s.sealed()) {
        Position w = writtenPos;
        out.add(new SegmentInfo(s.id(), s.fileName(), w.segmentId() == s.id() ? w.offset() : s.size(), false));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public Position currentPosition() {
    mu.lock();
    try {
      return new Position(segId, segSize);
    } finally {
      mu.unlock();
    }
  }

  @Override
  public WalStats stats() {
    long records;
    long bytes;
    long queued;
    Position current;
    long unforcedBytes;
    long unforcedAge;
    mu.lock();
    try {
      records = recordsAppended;
      bytes = bytesAppended;
      queued = stagedBytes + active.position();
      current = new Position(segId, segSize);
      unforcedBytes = nextSeq - durableSeq;
      unforcedAge = unforcedSinceNanos == 0 ? 0 : System.nanoTime() - unforcedSinceNanos;
    } finally {
      mu.unlock();
    }
    long onDisk = 0;
    List<SegmentInfo> segs = segments();
    for (SegmentInfo s : segs) {
      onDisk += s.size();
    }
    return new WalStats(
        state,
        records,
        bytes,
        fsyncCount,
        fsyncTotalNanos,
        fsyncMaxNanos,
        segs.size(),
        writeSegId,
        onDisk,
        current,
        policy == Policy.OS ? writtenPos : durablePos,
        rotations,
        queued,
        unforcedBytes,
        unforcedAge);
  }

  @Override
  public WalState state() {
    return state;
  }

  @Override
  public Optional<Throwable> failure() {
    mu.lock();
    try {
      return Optional.ofNullable(failure);
    } finally {
      mu.unlock();
    }
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
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeListener(WalListener listener) {
    listeners.remove(listener);
  }

  private void emit(WalEvent e) {
    emit(listeners, e);
  }

  private static void emit(List<WalListener> listeners, WalEvent e) {
    for (WalListener l : listeners) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ignored) {
        // A broken listener must not stop the log.
      }
    }
  }

  @Override
  public String toString() {
    return "Wal[" + dir + ", " + state + "]";
  }
}
