package dev.noriwal.kafka;

import dev.noriwal.Position;
import dev.noriwal.RetentionClaim;
import dev.noriwal.Wal;
import java.time.Duration;
import java.util.Objects;

/**
 * Publishes the records of an open {@link Wal} to a Kafka topic, in log order, each exactly once
 * for a {@code read_committed} consumer. Start it with {@link #start(Wal, RelaySettings)}; it runs
 * on its own thread until {@link #close()}.
 *
 * <h2>What a consumer sees</h2>
 *
 * One Kafka record per log record: key = record key, value = record value, a tombstone as a Kafka
 * tombstone (null value, so compacted topics drop the key), and the headers of {@link RelayHeaders}
 * (position, next position, relay id, TTL). Records with the same key keep their log order (they
 * land in one partition); a one-partition topic keeps the whole log's order.
 *
 * <h2>Exactly once: where the position lives and why a crash neither skips nor repeats</h2>
 *
 * The relay's position is stored in Kafka, inside the records it covers: every record carries
 * {@code nori.next}, the log position right after it. Records go out in transactions of a
 * transactional producer whose {@code transactional.id} is stable per relay; the relay commits one
 * transaction before it begins the next, and each holds a contiguous run of the log.
 *
 * <ol>
 *   <li><b>Atomic.</b> A transaction commits its records and, with them, the position they carry;
 *       an aborted or unfinished one is invisible to {@code read_committed} readers, records and
 *       position alike. There is no second place to update, so no window in which position and
 *       records disagree.
 *   <li><b>Start.</b> A starting relay first calls {@code initTransactions()}: the coordinator
 *       fences every earlier producer with this id (a zombie's later sends and commits fail) and
 *       finishes that producer's open transaction (completing it if it was being committed,
 *       aborting it otherwise). Only then does the relay read, with {@code read_committed}, the
 *       largest {@code nori.next} among its records at the end of each partition ({@link
 *       PublishedTail}) and resume the log there (from the log's oldest record if it finds none).
 *   <li><b>Crash at any instant.</b> Before a commit reaches the coordinator, the transaction is
 *       aborted at the next start: its records are invisible and the position read back excludes
 *       them, so they are published again, once. After the commit is decided, the records are
 *       visible and the position read back includes them, so none is published again. Since
 *       transactions are committed one after another and each covers a contiguous run, the largest
 *       committed {@code nori.next} has every earlier record committed before it: nothing between
 *       is missing.
 *   <li><b>Inside one run.</b> Any failure the relay cannot attribute (a timeout, an unknown commit
 *       outcome, a broker restart) ends the producer and starts over through step 2, the same path
 *       as a crash, so the argument covers it too.
 * </ol>
 *
 * The log side: the relay holds a {@link RetentionClaim} at its committed position, so {@link
 * Wal#deleteSegmentsBefore} keeps every record it has not published; positions only name records of
 * the log that published them, so the relay refuses a topic whose position lies outside its log.
 *
 * <h2>Limits</h2>
 *
 * The position is as durable as the topic: if topic retention removes every record of this relay
 * (time retention on an idle topic, or a compacted tombstone past {@code delete.retention.ms}), the
 * relay starts from the log's oldest record again. Keep such topics with {@code retention.ms=-1},
 * or keep the log's segments no longer than the topic's records. A consumer reading {@code
 * read_uncommitted} sees aborted records. Another producer may share the topic; only records with
 * this relay's {@code nori.relay} header count.
 *
 * <h2>Failures</h2>
 *
 * A broker that cannot be reached: {@link RelayState#BACKING_OFF}, retrying with a doubling backoff
 * while the application keeps appending. A missing topic or an authentication or authorization
 * failure: {@link RelayState#MISCONFIGURED}, retried at the longest backoff, logged once per
 * distinct message. A record larger than the producer or broker accepts, another relay with the
 * same {@code transactional.id}, or a topic whose position does not fit the log: {@link
 * RelayState#STOPPED} with an error naming the position; nothing after the published position is
 * skipped.
 *
 * <h2>Threads</h2>
 *
 * Thread-safe. The relay thread alone owns the producer and the log reader; {@link #status()},
 * {@link #pause()}, {@link #resume()} and {@link #close()} may be called from any thread.
 *
 * <h2>Inside</h2>
 *
 * This class is the API and the lifecycle (start, retention claim, MXBean, close). The relay thread
 * is {@link RelayThread} (sessions, failures sorted into states, backoff); one transaction is
 * {@link TransactionPublisher}; the log side of positions (resume check, lag in bytes) is {@link
 * RelayedLog}, the Kafka side ({@code nori.next} read back) {@link PublishedTail}; state, counters
 * and waiting are {@link RelayProgress}.
 */
public final class KafkaRelay implements AutoCloseable {
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

  private final Wal wal;
  private final RelaySettings settings;
  private final RelayProgress progress;
  private final RetentionClaim claim;
  private final Thread thread;
  private final RelayMBean mbean;

  private KafkaRelay(Wal wal, RelaySettings settings) {
    this.wal = wal;
    this.settings = settings;
    RelayedLog log = new RelayedLog(wal, settings);
    this.progress = new RelayProgress(settings, log);
    this.claim = wal.retain("kafka-relay " + settings.transactionalId(), this::oldestNeeded);
    this.mbean = RelayMBean.register(this);
    this.thread =
        new Thread(new RelayThread(settings, log, progress), "nori-wal-relay-" + settings.name());
    thread.setDaemon(true);
  }

  /**
   * Starts relaying {@code wal} as {@code settings} say and returns at once; the relay connects,
   * reads its position back from the topic and publishes on its own thread. Registers the MXBean
   * {@code dev.noriwal:type=Relay,name=<settings.name()>} and a retention claim on the log.
   *
   * @throws IllegalStateException if a relay of that name is already registered in this JVM
   */
  public static KafkaRelay start(Wal wal, RelaySettings settings) {
    Objects.requireNonNull(wal, "wal");
    Objects.requireNonNull(settings, "settings");
    KafkaRelay relay = new KafkaRelay(wal, settings);
    relay.thread.start();
    return relay;
  }

  public RelaySettings settings() {
    return settings;
  }

  public RelayStatus status() {
    return progress.status();
  }

  /**
   * Waits until every record appended before this call is committed to Kafka. Returns false on
   * timeout, or at once when the relay is {@link RelayState#STOPPED} or closed.
   */
  public boolean awaitPublished(Duration timeout) throws InterruptedException {
    return progress.awaitPublished(wal.currentPosition(), timeout);
  }

  /** Finishes the transaction in progress and publishes nothing more until {@link #resume()}. */
  public void pause() {
    progress.pause();
  }

  public void resume() {
    progress.resume();
  }

  /**
   * Stops the relay: the transaction in progress is committed (within 10 s; if the broker is
   * unreachable it is left to be aborted, and its records are published again by the next start),
   * the producer closed, the MXBean unregistered and the retention claim dropped. Idempotent.
   */
  @Override
  public void close() {
    progress.close();
    boolean interrupted = false;
    try {
      // The relay thread commits the transaction it has begun and stops; only a relay stuck on an
      // unreachable broker is interrupted (its open transaction is then aborted by the next start,
      // or by the coordinator after transaction.timeout.ms).
      thread.join(CLOSE_GRACE.toMillis());
    } catch (InterruptedException e) {
      interrupted = true;
    }
    while (thread.isAlive()) {
      thread.interrupt();
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    claim.close();
    mbean.unregister();
    progress.closed();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private Position oldestNeeded() {
    Position p = progress.published();
    return p == null ? Position.START : p;
  }

  /** An exception in one line, with its cause's, for {@link RelayStatus#lastError()}. */
  static String oneLine(Throwable e) {
    String m = e.getClass().getSimpleName() + ": " + e.getMessage();
    if (e.getCause() != null && e.getCause() != e) {
      m += " (" + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage() + ")";
    }
    return m;
  }
}
