package dev.noriwal.kafka;

import dev.noriwal.Position;
import dev.noriwal.RecordView;
import dev.noriwal.RetentionClaim;
import dev.noriwal.SegmentInfo;
import dev.noriwal.Wal;
import dev.noriwal.WalEntry;
import dev.noriwal.WalReader;
import dev.noriwal.WalRecord;
import dev.noriwal.WalStats;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

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
 */
public final class KafkaRelay implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(KafkaRelay.class.getName());
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration TAIL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

  private final Wal wal;
  private final RelaySettings settings;
  private final RetentionClaim claim;
  private final Thread thread;
  private final Object lock = new Object();
  private final RelayMBean mbean;

  // Written by the relay thread, read by any.
  private volatile RelayState state = RelayState.CONNECTING;
  private volatile Position published;
  private volatile String lastError;
  private volatile boolean paused;
  private volatile boolean closing;
  private volatile long recordsPublished;
  private volatile long transactionsCommitted;
  private volatile long transactionsAborted;

  // lagRecords: the log's append counter and the relay's commit counter at the last moment the
  // relay had committed every record of the log; null until then.
  private record CaughtUp(long appended, long committed) {}

  private volatile CaughtUp caughtUp;
  private volatile long committedSinceStart;

  private KafkaProducer<byte[], byte[]> producer; // relay thread only
  private String lastLogged; // relay thread only

  private KafkaRelay(Wal wal, RelaySettings settings) {
    this.wal = wal;
    this.settings = settings;
    this.claim = wal.retain("kafka-relay " + settings.transactionalId(), this::oldestNeeded);
    this.mbean = RelayMBean.register(this);
    this.thread = new Thread(this::run, "nori-wal-relay-" + settings.name());
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
    Position p = published;
    long lagBytes = p == null ? -1 : bytesBetween(p, wal.currentPosition());
    long lagRecords = -1;
    CaughtUp c = caughtUp;
    if (c != null) {
      lagRecords =
          Math.max(
              0,
              (wal.stats().recordsAppended() - c.appended())
                  - (committedSinceStart - c.committed()));
    }
    return new RelayStatus(
        state,
        p,
        lagBytes,
        lagRecords,
        recordsPublished,
        transactionsCommitted,
        transactionsAborted,
        lastError);
  }

  /**
   * Waits until every record appended before this call is committed to Kafka. Returns false on
   * timeout, or at once when the relay is {@link RelayState#STOPPED} or closed.
   */
  public boolean awaitPublished(Duration timeout) throws InterruptedException {
    Position target = wal.currentPosition();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        Position p = published;
        if (p != null && (p.compareTo(target) >= 0 || bytesBetween(p, target) == 0)) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || state == RelayState.STOPPED || state == RelayState.CLOSED) {
          return false;
        }
        lock.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
      }
    }
  }

  /** Finishes the transaction in progress and publishes nothing more until {@link #resume()}. */
  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  /**
   * Stops the relay: the transaction in progress is committed (within 10 s; if the broker is
   * unreachable it is left to be aborted, and its records are published again by the next start),
   * the producer closed, the MXBean unregistered and the retention claim dropped. Idempotent.
   */
  @Override
  public void close() {
    closing = true;
    synchronized (lock) {
      lock.notifyAll();
    }
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
    state = RelayState.CLOSED;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private Position oldestNeeded() {
    Position p = published;
    return p == null ? Position.START : p;
  }

  /** Record bytes of the log from {@code from} up to {@code to}. */
  private long bytesBetween(Position from, Position to) {
    long n = 0;
    for (SegmentInfo s : wal.segments()) {
      if (s.id() < from.segmentId() || s.id() > to.segmentId()) {
        continue;
      }
      long start = s.id() == from.segmentId() ? from.offset() : 0;
      long end = s.id() == to.segmentId() ? to.offset() : s.size();
      n += Math.max(0, end - start);
    }
    return n;
  }

  /**
   * The end of a sealed segment and the start of the next are the same place in the record
   * sequence; the start of the next is what the retention claim and {@link #awaitPublished} need.
   */
  private Position normalize(Position p) {
    List<SegmentInfo> segments = wal.segments();
    for (int i = 0; i + 1 < segments.size(); i++) {
      SegmentInfo s = segments.get(i);
      if (s.id() == p.segmentId() && s.sealed() && p.offset() >= s.size()) {
        return new Position(segments.get(i + 1).id(), 0);
      }
    }
    return p;
  }

  // ---- the relay thread ----

  /** A failure that ends the relay for good. */
  private static final class StopException extends Exception {
    private static final long serialVersionUID = 1L;

    StopException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private void run() {
    long backoff = settings.initialBackoff().toMillis();
    while (!closing) {
      try {
        session();
      } catch (StopException e) {
        report(RelayState.STOPPED, e.getMessage(), e.getCause());
        break;
      } catch (PublishedTail.MissingTopicException
          | AuthenticationException
          | AuthorizationException
          | InvalidTopicException
          | UnknownTopicOrPartitionException e) {
        report(RelayState.MISCONFIGURED, e.getMessage(), null);
        backoff = settings.maxBackoff().toMillis();
      } catch (ProducerFencedException e) {
        report(
            RelayState.STOPPED,
            "another relay with transactional.id '"
                + settings.transactionalId()
                + "' took over (this one is fenced): "
                + e.getMessage(),
            null);
        break;
      } catch (InterruptedException e) {
        if (!closing) {
          report(RelayState.BACKING_OFF, "interrupted", null);
        }
      } catch (IOException | RuntimeException e) {
        if (closing) {
          break;
        }
        Throwable c = e instanceof KafkaException && e.getCause() != null ? e.getCause() : e;
        if (c instanceof AuthenticationException || c instanceof AuthorizationException) {
          report(RelayState.MISCONFIGURED, c.getMessage(), null);
          backoff = settings.maxBackoff().toMillis();
        } else {
          report(RelayState.BACKING_OFF, oneLine(e), e instanceof KafkaException ? null : e);
        }
      } finally {
        closeProducer();
      }
      if (closing) {
        break;
      }
      if (state == RelayState.STOPPED) {
        break;
      }
      if (recordsCommittedRecently) {
        backoff = settings.initialBackoff().toMillis();
        recordsCommittedRecently = false;
      }
      sleep(backoff);
      backoff = Math.min(backoff * 2, settings.maxBackoff().toMillis());
    }
    if (state != RelayState.STOPPED) {
      state = RelayState.CLOSED;
    }
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  private boolean recordsCommittedRecently;

  private void session() throws StopException, IOException, InterruptedException {
    state = RelayState.CONNECTING;
    producer =
        new KafkaProducer<>(
            settings.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    producer.initTransactions();
    Position resume = PublishedTail.find(settings, TAIL_TIMEOUT);
    resume = checkAgainstLog(resume);
    published = normalize(resume);
    // A relay that resumes at the log's end is caught up from its first moment, so its lag in
    // records is known at once (not only after its first empty poll).
    noteCaughtUp(resume);
    try (WalReader reader = wal.readFrom(resume)) {
      setState(RelayState.RUNNING, null);
      while (!closing) {
        if (paused) {
          state = RelayState.PAUSED;
          synchronized (lock) {
            while (paused && !closing) {
              lock.wait(200);
            }
          }
          state = RelayState.RUNNING;
          continue;
        }
        WalEntry first = reader.poll(POLL);
        if (first == null) {
          noteCaughtUp(reader.position());
          continue;
        }
        publishTransaction(reader, first);
      }
    }
  }

  private Position checkAgainstLog(Position found) throws StopException {
    List<SegmentInfo> segments = wal.segments();
    Position oldest = segments.isEmpty() ? Position.START : new Position(segments.get(0).id(), 0);
    Position end = wal.currentPosition();
    if (found == null) {
      return oldest;
    }
    if (found.compareTo(end) > 0) {
      throw new StopException(
          "topic '"
              + settings.topic()
              + "' holds records of relay '"
              + settings.transactionalId()
              + "' up to position "
              + found
              + ", past this log's end "
              + end
              + " ("
              + wal.config().directory()
              + "): is this the log that published them?",
          null);
    }
    if (found.compareTo(oldest) < 0) {
      throw new StopException(
          "the relay published up to position "
              + found
              + " but the log ("
              + wal.config().directory()
              + ") now starts at "
              + oldest
              + ": the records in between were deleted unpublished",
          null);
    }
    return found;
  }

  /** Called with no transaction open; notes the counters if every appended record is published. */
  private void noteCaughtUp(Position readerAt) {
    WalStats s = wal.stats();
    if (bytesBetween(readerAt, s.currentPosition()) == 0) {
      caughtUp = new CaughtUp(s.recordsAppended(), committedSinceStart);
    }
  }

  // The counters are volatile for the MXBean's readers; only the relay thread writes them.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private void publishTransaction(WalReader reader, WalEntry first)
      throws StopException, IOException {
    AtomicReference<Failure> failure = new AtomicReference<>();
    Position from = first.position();
    TransactionEvent event = new TransactionEvent();
    event.begin();
    producer.beginTransaction();
    long[] bytes = {0};
    int[] count = {0};
    Position[] next = {first.next()};
    WalRecord r = first.record();
    send(
        first.position(),
        first.next(),
        ByteBuffer.wrap(r.key()),
        r.isTombstone() ? null : ByteBuffer.wrap(r.value()),
        r.ttlMillis(),
        failure);
    bytes[0] += r.key().length + (r.isTombstone() ? 0 : r.value().length);
    count[0]++;
    Position readerStart = from;
    while (count[0] < settings.maxRecordsPerTransaction()
        && bytes[0] < settings.maxBytesPerTransaction()
        && failure.get() == null
        && !closing) {
      int limit = Math.min(256, settings.maxRecordsPerTransaction() - count[0]);
      int n =
          reader.poll(
              (RecordView v) -> {
                ByteBuffer value = v.isTombstone() ? null : v.value();
                send(v.position(), v.next(), v.key(), value, v.ttlMillis(), failure);
                bytes[0] += v.key().remaining() + (value == null ? 0 : value.remaining());
                count[0]++;
                next[0] = v.next();
              },
              limit);
      if (n == 0) {
        break;
      }
    }
    event.relay = settings.name();
    event.topic = settings.topic();
    event.firstPosition = readerStart.toString();
    event.nextPosition = next[0].toString();
    event.records = count[0];
    event.bytes = bytes[0];
    try {
      producer.commitTransaction();
    } catch (KafkaException e) {
      transactionsAborted++;
      event.committed = false;
      event.error = oneLine(e);
      event.commit();
      Failure f = failure.get();
      if (f != null && f.cause instanceof RecordTooLargeException) {
        abortQuietly();
        throw new StopException(
            "the record at position "
                + f.position
                + " ("
                + f.size
                + " bytes of key and value) is larger than the producer or broker accepts"
                + " (max.request.size, message.max.bytes / max.message.bytes): "
                + f.cause.getMessage()
                + "; published up to "
                + from
                + ", nothing after it skipped",
            f.cause);
      }
      if (f != null && !(f.cause instanceof KafkaException)) {
        throw new KafkaException(f.cause);
      }
      throw f != null ? (KafkaException) f.cause : e;
    }
    transactionsCommitted++;
    recordsCommittedRecently = true;
    event.committed = true;
    event.commit();
    committedSinceStart += count[0];
    recordsPublished += count[0];
    noteCaughtUp(reader.position()); // before awaitPublished can return, so lag reads true
    synchronized (lock) {
      published = normalize(next[0]);
      lock.notifyAll();
    }
  }

  private record Failure(Position position, long size, Exception cause) {}

  private void send(
      Position position,
      Position next,
      ByteBuffer key,
      ByteBuffer value,
      long ttlMillis,
      AtomicReference<Failure> failure) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(RelayHeaders.POSITION, RelayHeaders.text(position));
    headers.add(RelayHeaders.NEXT, RelayHeaders.text(next));
    headers.add(RelayHeaders.RELAY, RelayHeaders.text(settings.transactionalId()));
    if (ttlMillis >= 0) {
      headers.add(RelayHeaders.TTL_MS, RelayHeaders.text(ttlMillis));
    }
    byte[] k = bytes(key);
    byte[] v = value == null ? null : bytes(value);
    long size = (long) k.length + (v == null ? 0 : v.length);
    // The outcome arrives in the callback; the future adds nothing.
    Future<?> unused =
        producer.send(
            new ProducerRecord<>(settings.topic(), null, k, v, headers),
            (md, e) -> {
              if (e != null) {
                failure.compareAndSet(null, new Failure(position, size, e));
              }
            });
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  private void abortQuietly() {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      // The producer is closed next anyway; the coordinator aborts at the next start.
    }
  }

  private void closeProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (KafkaException e) {
        // Closing without waiting: unsent records belong to an unfinished transaction.
      }
      producer = null;
    }
  }

  private void setState(RelayState s, String error) {
    state = s;
    lastError = error;
    LOG.log(
        Level.INFO,
        "relay {0} publishing {1} to topic {2} from position {3}",
        settings.name(),
        wal.config().directory(),
        settings.topic(),
        published);
    lastLogged = null;
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  private void report(RelayState s, String message, Throwable unexpected) {
    state = s;
    lastError = message;
    // One line per distinct condition, so an outage or a missing topic is not a log of traces.
    String key = s + ": " + message;
    if (!key.equals(lastLogged)) {
      lastLogged = key;
      Level level = s == RelayState.STOPPED ? Level.ERROR : Level.WARNING;
      if (unexpected != null) {
        LOG.log(level, "relay " + settings.name() + " " + key, unexpected);
      } else {
        LOG.log(level, "relay {0} {1}", settings.name(), key);
      }
    }
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  private void sleep(long millis) {
    synchronized (lock) {
      long deadline = System.nanoTime() + millis * 1_000_000;
      long left;
      while (!closing && (left = deadline - System.nanoTime()) > 0) {
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          if (closing) {
            return;
          }
        }
      }
    }
  }

  private static String oneLine(Throwable e) {
    String m = e.getClass().getSimpleName() + ": " + e.getMessage();
    if (e.getCause() != null && e.getCause() != e) {
      m += " (" + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage() + ")";
    }
    return m;
  }
}
