package dev.noriwal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A durable, segmented write-ahead log whose files are byte-compatible with nori-wal.
 *
 * <h2>Durability: what "returned" means</h2>
 *
 * <ul>
 *   <li>{@link FsyncPolicy#always()}: {@link #append} returns after a force ({@code fdatasync})
 *       that covers the record. Concurrent appenders share one force (group commit).
 *   <li>{@link FsyncPolicy#batch}: {@link #append} returns once the record is queued in memory,
 *       unless the oldest acknowledged append not yet forced is older than the window: then it
 *       waits for the force that covers it. A background timer forces every append once it is a
 *       window old, even if nothing else is appended. {@link #appendAsync} completes when that
 *       force is done. A crash or power loss can take the appends acknowledged within the window
 *       before the force in flight began: appends up to the window plus the force time old (two
 *       force times when forces are slower than the window). {@link #stats()} shows the exposure
 *       ({@link WalStats#unforcedBytes()}, {@link WalStats#oldestUnforcedAgeNanos()}).
 *   <li>{@link FsyncPolicy#os()}: forced only by {@link #sync()}, rotation and {@link #close()}.
 * </ul>
 *
 * <p>{@link #sync()} returns after everything appended before it is forced, under any policy.
 *
 * <h2>Threads</h2>
 *
 * Thread-safe. Any number of threads may append; records get positions in the order their appends
 * take the log's lock. A log has no thread of its own: its writes and forces run on a JVM-wide pool
 * of at most max(4, 2 x cores) daemon threads ({@code nori-wal-writer-N}, ended after 1 s idle)
 * shared by every log, one thread at a time per log, or, under {@link FsyncPolicy#always()}, on an
 * appender that commits its own round. The channels are not closed by interrupts, so an interrupted
 * caller never closes one under the other writers, and an interrupt of a pool thread changes
 * nothing. The futures of {@link #appendAsync} complete on a small JVM-wide pool of daemon threads
 * (in position order per log), never on a committing thread: callbacks may block, append, or close
 * the log. Listeners run on the committing thread (a shared pool thread, or the appender committing
 * its own round) and must be quick: one that blocks holds a writer thread the other logs share, and
 * waiting there on another log (its {@code append}, {@code sync} or {@code close}) needs a free
 * one. {@link #append} and {@link #sync} from a listener on its own log are refused. An interrupted
 * caller, committing its own round or not, keeps its interrupt status.
 *
 * <h2>After a failure</h2>
 *
 * A failed write or force fences the log ({@link WalState#FAILED}): in-flight and later appends
 * fail with {@link LogFailedException} carrying the first cause, and nothing un-fences it. Close it
 * and open again: recovery trusts only what is on disk.
 *
 * <h2>What is not promised</h2>
 *
 * Durability rests on the device honouring flushes; drives or hypervisors that acknowledge a flush
 * from a volatile cache can lose "forced" data on power loss. A batch from {@link #appendBatch} is
 * not atomic across a crash: recovery keeps a prefix of it.
 */
public interface Wal extends AutoCloseable {

  /**
   * Opens (or creates) the log in {@code config.directory()}, runs recovery and returns it ready
   * for appends. Only one open {@code Wal} may own a directory, in this JVM or any other process.
   *
   * @throws CorruptLogException if the log holds damage the configured {@link RecoveryMode} does
   *     not repair
   * @throws IOException if the directory is locked by another owner or cannot be used
   */
  static Wal open(WalConfig config) throws IOException {
    return SegmentedWal.open(config);
  }

  /**
   * Scans the log in {@code directory} without modifying anything and reports what recovery would
   * find. It does not take the directory lock; run it on a log that is not being written.
   */
  static RecoveryInfo verify(Path directory) throws IOException {
    return Recovery.verify(directory);
  }

  /**
   * Reads the log in {@code directory} without opening it for writing: no lock is taken and nothing
   * is modified. The reader stops at the end of the valid records (a torn tail is not returned) and
   * throws {@link CorruptLogException} where it meets damage. For logs that are not being written,
   * e.g. a tool or a recovery scan after a crash.
   */
  static WalReader readAtRest(Path directory, Position from) throws IOException {
    RecoveryInfo info = Recovery.verify(directory);
    return LogAtRest.reader(directory, info.endPosition(), from);
  }

  WalConfig config();

  /** What recovery found and did when this log was opened. */
  RecoveryInfo recoveryInfo();

  /** Appends one record and returns its start position once the fsync policy is met. */
  Position append(WalRecord record) throws IOException;

  /**
   * Appends records back to back, in order, and returns their positions once the fsync policy is
   * met for all of them (one force under {@code always()}). Not atomic across a crash.
   */
  List<Position> appendBatch(List<WalRecord> records) throws IOException;

  /**
   * Appends one record without blocking for I/O; the future completes with its position when the
   * record is durable under the policy (forced for {@code always()} and {@code batch}, written to
   * the OS for {@code os()}), or exceptionally with {@link LogFailedException}.
   */
  CompletableFuture<Position> appendAsync(WalRecord record);

  /** Forces everything appended so far, under any policy. */
  void sync() throws IOException;

  /**
   * Hands everything appended so far to the OS (no force), so other processes reading the files see
   * it. This log's own {@link WalReader}s see records up to the durable position: under {@code
   * os()} that is what was written, so they see it too; under {@code always()} and {@code batch}
   * they see it once it is forced ({@link #sync}).
   */
  void flush() throws IOException;

  /** Seals the active segment (if it holds records) and starts a new one. */
  void rotate() throws IOException;

  /** The position the next appended record will get. */
  Position currentPosition();

  /**
   * Deletes every sealed segment that lies wholly before {@code position}, oldest first, and forces
   * the directory. Passing {@link #currentPosition()} deletes all sealed segments. The active
   * segment is never deleted, and neither is a segment an open {@link RetentionClaim} still needs:
   * deletion then stops earlier and the result names the holders.
   */
  SegmentDeletion deleteSegmentsBefore(Position position) throws IOException;

  /**
   * Claims the records from {@code oldestNeeded.get()} on for {@code holder}, until the claim is
   * closed: {@link #deleteSegmentsBefore} keeps the segments that hold them. The supplier is asked
   * at each deletion (so a relay can report its progress without re-claiming); it must be cheap,
   * must not block and must not call back into this log.
   */
  RetentionClaim retain(String holder, Supplier<Position> oldestNeeded);

  /** A reader starting at {@code position} (a record start, e.g. {@link Position#START}). */
  WalReader readFrom(Position position) throws IOException;

  /** The segments of the log, oldest first. */
  List<SegmentInfo> segments();

  WalStats stats();

  WalState state();

  /** The first failure, when {@link #state()} is {@link WalState#FAILED}. */
  Optional<Throwable> failure();

  void addListener(WalListener listener);

  void removeListener(WalListener listener);

  /**
   * Completes or fails every in-flight append, writes and forces what was appended, trims the
   * active segment, writes the clean-shutdown marker (naming every segment's size and identity) and
   * releases the directory. Idempotent and safe from any thread, a completion callback included;
   * called from a listener (on the thread committing a round) it only starts the close, which the
   * writer thread finishes once that round ends. It waits only for the writer's last write and
   * force.
   *
   * @throws LogFailedException if the final write or force failed: data appended since the last
   *     successful force may be lost, the log stays {@link WalState#FAILED} and no clean marker is
   *     written (so the next open scans). Every later call throws it again. Closing a log that had
   *     already failed releases it without throwing.
   */
  @Override
  void close() throws IOException;
}
