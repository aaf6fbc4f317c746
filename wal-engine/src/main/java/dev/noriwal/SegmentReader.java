package dev.noriwal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A {@link WalReader}: positional reads through its own read-only channel, a reusable window buffer
 * that grows only for records larger than it, and no shared state with the writer except the
 * volatile visible end. The channel is an {@link UninterruptibleChannel}: an interrupted consumer
 * reads on and keeps its interrupt status (only a poll that waits for records gives in to it).
 *
 * <p>Not thread-safe, with one exception: {@link #close} may be called from another thread while a
 * call is running (e.g. to stop a consumer blocked in {@link #poll(Duration)}). The buffer then
 * goes back to the JVM-wide pool only when that call has returned, never while it may still read
 * into it.
 */
final class SegmentReader implements WalReader {
  private static final int WINDOW = 1 << 20;

  private final LogView log;

  /** Where the next record is read from (two longs, so a scan allocates no positions). */
  private long atSeg;

  private long atOff;
  private @Nullable FileChannel channel;
  private long channelSegment = -1;
  private String channelName = "";

  /** Size of {@link #channelSegment} once it is known to be sealed, else -1. */
  private long sealedLimit = -1;

  // Direct, so channel reads land in it without the JDK's extra copy through a temporary buffer.
  private ByteBuffer direct = BufferPool.take(WINDOW);

  /** What {@link #direct} and {@link #buf} become once handed back: nothing left to read into. */
  private static final ByteBuffer RELEASED = ByteBuffer.allocate(0);

  /** {@link #direct}, or a heap buffer while a record larger than the window is read. */
  private ByteBuffer buf = direct;

  /** A read-only view of {@link #buf}, made when {@code buf} changes: each slice is one object. */
  private @Nullable ByteBuffer readOnlyBuf;

  private long bufStart = -1;
  private int bufLen;
  private final RecordValidator validator = new RecordValidator();

  /** Set by {@link #close}, possibly from another thread while a poll runs. */
  private volatile boolean closed;

  /** Held while a call uses the buffers and channel; whoever ends last hands them back. */
  private final java.util.concurrent.atomic.AtomicBoolean busy =
      new java.util.concurrent.atomic.AtomicBoolean();

  private boolean released;

  SegmentReader(LogView log, Position from) throws IOException {
    this.log = log;
    Long first = log.firstSegmentId();
    if (from.equals(Position.START) && first != null) {
      from = new Position(first, 0);
    } else if (log.segment(from.segmentId()) == null) {
      Position end = log.visibleEnd();
      // In a segment whose rotation is staged but not written yet: a valid position to wait at.
      boolean staged =
          from.segmentId() > end.segmentId() && from.compareTo(log.currentPosition()) <= 0;
      if (!staged
          && (first == null || from.segmentId() < first || from.segmentId() > end.segmentId())) {
        throw new IllegalArgumentException(
            "position "
                + from
                + " is not in the log in "
                + log.directory()
                + (first == null ? "" : " (segments " + first + " to " + end.segmentId() + ")"));
      }
    }
    this.atSeg = from.segmentId();
    this.atOff = from.offset();
  }

  @Override
  public Position position() {
    return new Position(atSeg, atOff);
  }

  @Override
  public @Nullable WalEntry poll(Duration timeout) throws IOException, InterruptedException {
    enter();
    try {
      return pollEntry(timeout);
    } finally {
      exit();
    }
  }

  private @Nullable WalEntry pollEntry(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Position seen = log.visibleEnd();
      if (closed) {
        return null; // closed from another thread while waiting
      }
      WalEntry e = locate() ? materialize() : null;
      if (e != null) {
        return e;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || log.isClosed()) {
        return null;
      }
      log.awaitBeyond(seen, left);
    }
  }

  @Override
  public @Nullable WalEntry next() throws IOException {
    enter();
    try {
      return locate() ? materialize() : null;
    } finally {
      exit();
    }
  }

  private void enter() {
    if (closed) {
      throw new IllegalStateException("reader is closed");
    }
    if (!busy.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "reader used by two threads at once (only close() may come from another thread)");
    }
  }

  private void exit() {
    busy.set(false);
    if (closed && busy.compareAndSet(false, true)) {
      release();
    }
  }

  @Override
  public int poll(RecordView.Handler handler, int limit) throws IOException {
    enter();
    try {
      return pollViews(handler, limit);
    } finally {
      exit();
    }
  }

  private int pollViews(RecordView.Handler handler, int limit) throws IOException {
    int n = 0;
    while (n < limit && locate()) {
      atOff = curOffset + curTotal;
      handler.onRecord(view);
      n++;
    }
    return n;
  }

  /** Finds and checks the next visible record; false when the reader has caught up. */
  private boolean locate() throws IOException {
    if (closed) {
      throw new IllegalStateException("reader is closed");
    }
    while (true) {
      Position end = log.visibleEnd();
      long seg = atSeg;
      if (seg > end.segmentId()) {
        return false;
      }
      long limit;
      if (seg < end.segmentId()) {
        if (seg == channelSegment && sealedLimit >= 0) {
          limit = sealedLimit;
        } else {
          SegmentInfo info = log.segment(seg);
          if (info == null) {
            throw new NoSuchFileException(
                log.directory().resolve(SegmentName.toFileName(seg)).toString(),
                null,
                "segment was deleted while being read");
          }
          limit = info.size();
          if (seg == channelSegment) {
            sealedLimit = limit;
          }
        }
        if (atOff >= limit) {
          atSeg = seg + 1;
          atOff = 0;
          continue;
        }
      } else {
        limit = end.offset();
        if (atOff >= limit) {
          return false;
        }
      }
      check(seg, atOff, limit);
      return true;
    }
  }

  // The record found by check(): where it is in the file and in the buffer.
  private long curSeg;
  private long curOffset;
  private long curTotal;
  private int curKey;
  private int curKlen;
  private int curVlen;
  private int curFlags;
  private long curTtl;
  private final View view = new View();

  /** Validates the record at {@code offset} and records where its parts are in the buffer. */
  private void check(long seg, long offset, long limit) throws IOException {
    FileChannel ch = channelFor(seg);
    long room = limit - offset;
    ensure(ch, offset, (int) Math.min(RecordFormat.MAX_HEADER_SIZE, room), limit);
    int off = (int) (offset - bufStart);
    RecordValidator.Verdict v = validator.frame(buf, off, bufLen - off, room);
    if (v != RecordValidator.Verdict.VALID) {
      throw validator.failure(v, channelName, offset);
    }
    long total = validator.totalSize();
    if (total > Integer.MAX_VALUE - 64) {
      throw new CorruptLogException(
          channelName,
          offset,
          CorruptLogException.Reason.MALFORMED_RECORD,
          "record of " + total + " bytes is too large to read");
    }
    ensure(ch, offset, (int) total, limit);
    off = (int) (offset - bufStart);
    v = validator.checksum(buf, off);
    if (v != RecordValidator.Verdict.VALID) {
      throw validator.failure(v, channelName, offset);
    }
    curSeg = seg;
    curOffset = offset;
    curTotal = total;
    curKey = off + validator.headerSize();
    curKlen = (int) validator.keyLength();
    curVlen = (int) validator.valueLength();
    curFlags = validator.flags();
    curTtl = validator.ttlMillis();
  }

  private byte[] storedValueCopy() {
    byte[] v = new byte[curVlen];
    buf.get(curKey + curKlen, v, 0, v.length);
    return v;
  }

  private byte[] decompressed(byte[] stored) throws CorruptLogException {
    try {
      return Codecs.decompress(RecordFormat.compressionOf(curFlags), stored);
    } catch (IOException | IllegalStateException e) {
      throw new CorruptLogException(
          channelName,
          curOffset,
          CorruptLogException.Reason.UNREADABLE_VALUE,
          -1,
          -1,
          String.valueOf(e.getMessage()),
          e);
    }
  }

  /**
   * The {@code next} position of the last entry {@link #materialize} made: the next entry's {@code
   * position} when it follows in the same segment, so a replay makes one position per record.
   */
  private @Nullable Position lastNext;

  private WalEntry materialize() throws IOException {
    byte[] key = new byte[curKlen];
    buf.get(curKey, key, 0, curKlen);
    Compression compression = RecordFormat.compressionOf(curFlags);
    byte[] value = storedValueCopy();
    if (compression != Compression.NONE) {
      value = decompressed(value);
    }
    WalRecord r =
        WalRecord.of(
            key, value, (curFlags & RecordFormat.FLAG_TOMBSTONE) != 0, curTtl, compression);
    Position at = lastNext;
    if (at == null || at.offset() != curOffset || at.segmentId() != curSeg) {
      at = new Position(curSeg, curOffset);
    }
    atOff = curOffset + curTotal;
    Position next = new Position(curSeg, atOff);
    lastNext = next;
    return new WalEntry(at, r, next);
  }

  /** The reusable zero-copy view handed to {@link RecordView.Handler}s. */
  private final class View implements RecordView {
    @Override
    public Position position() {
      return new Position(curSeg, curOffset);
    }

    @Override
    public Position next() {
      return new Position(curSeg, curOffset + curTotal);
    }

    @Override
    public ByteBuffer key() {
      return readOnly().slice(curKey, curKlen);
    }

    @Override
    public ByteBuffer value() throws IOException {
      if (RecordFormat.compressionOf(curFlags) == Compression.NONE) {
        return readOnly().slice(curKey + curKlen, curVlen);
      }
      return ByteBuffer.wrap(decompressed(storedValueCopy())).asReadOnlyBuffer();
    }

    @Override
    public boolean isTombstone() {
      return (curFlags & RecordFormat.FLAG_TOMBSTONE) != 0;
    }

    @Override
    public long ttlMillis() {
      return curTtl;
    }

    @Override
    public Compression compression() {
      return RecordFormat.compressionOf(curFlags);
    }
  }

  private ByteBuffer readOnly() {
    ByteBuffer r = readOnlyBuf;
    if (r == null) {
      r = buf.asReadOnlyBuffer().clear(); // whole capacity: slices index into it
      readOnlyBuf = r;
    }
    return r;
  }

  /** Makes the buffer hold {@code [offset, offset + n)}, reading ahead up to the window size. */
  @SuppressWarnings("ReferenceEquality") // which buffer, not what it holds
  private void ensure(FileChannel ch, long offset, int n, long limit) throws IOException {
    if (offset >= bufStart && offset + n <= bufStart + bufLen && bufStart >= 0) {
      return;
    }
    if (n > buf.capacity()) {
      buf = ByteBuffer.allocate(n); // a record larger than the window: heap, freed with it
      readOnlyBuf = null;
    } else if (buf != direct && n <= WINDOW) {
      buf = direct;
      readOnlyBuf = null;
    }
    buf.clear();
    int want = (int) Math.min(buf.capacity(), limit - offset);
    buf.limit(Math.max(want, n));
    int got = Fs.readFully(ch, buf, offset);
    bufStart = offset;
    bufLen = got;
    if (got < n) {
      throw new CorruptLogException(
          channelName,
          offset + got,
          CorruptLogException.Reason.MALFORMED_RECORD,
          "segment file ends before the record does");
    }
  }

  private FileChannel channelFor(long seg) throws IOException {
    if (channelSegment != seg) {
      if (channel != null) {
        channel.close();
      }
      channel = null;
      SegmentInfo info = log.segment(seg);
      String name = info != null ? info.fileName() : SegmentName.toFileName(seg);
      // Not a plain FileChannel: an interrupt of the consumer would close it under the reader.
      FileChannel opened =
          UninterruptibleChannel.openFile(log.directory().resolve(name), StandardOpenOption.READ);
      channel = opened;
      channelSegment = seg;
      channelName = name;
      sealedLimit = -1;
      bufStart = -1;
      return opened;
    }
    return java.util.Objects.requireNonNull(channel);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    if (busy.compareAndSet(false, true)) {
      release(); // else the running call releases when it returns
    }
  }

  /** Hands the buffer back and closes the channel, once; caller holds {@link #busy}. */
  private void release() {
    if (released) {
      return;
    }
    released = true;
    BufferPool.give(direct);
    direct = RELEASED;
    buf = RELEASED;
    readOnlyBuf = null;
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // read-only channel: nothing was pending
      }
      channel = null;
    }
  }

  /** For tests: the pooled window buffer, or null once released. */
  @SuppressWarnings("ReferenceEquality") // which buffer, not what it holds
  @Nullable ByteBuffer windowForTesting() {
    return direct == RELEASED ? null : direct;
  }
}
