package dev.noriwal.kafka;

import dev.noriwal.Position;
import dev.noriwal.RecordView;
import dev.noriwal.WalEntry;
import dev.noriwal.WalReader;
import dev.noriwal.WalRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * One session's transactional producer: {@link #open()} fences earlier producers with the relay's
 * {@code transactional.id}, {@link #publish} sends one contiguous run of the log in one transaction
 * and commits it, {@link #close()} drops the producer without waiting. A commit that fails throws,
 * and the caller ends the session (the next one reads the position back from the topic), so a
 * failed transaction is never followed by another on the same producer.
 *
 * <p>Confined to the relay thread.
 */
final class TransactionPublisher implements AutoCloseable {
  private final RelaySettings settings;
  private final RelayProgress progress;
  private @Nullable KafkaProducer<byte[], byte[]> producer; // null before open(), after close()

  TransactionPublisher(RelaySettings settings, RelayProgress progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * Creates the producer and calls {@code initTransactions()}: the coordinator fences every earlier
   * producer with this id and finishes its open transaction.
   */
  void open() {
    KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            settings.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    producer = p;
    p.initTransactions();
  }

  private KafkaProducer<byte[], byte[]> producer() {
    return Objects.requireNonNull(producer, "the transactional producer is not open");
  }

  /**
   * Publishes {@code first} and the records after it that the reader has at hand, up to the
   * transaction limits, in one transaction; returns once it is committed.
   *
   * @throws RelayStopped if a record is larger than the producer or broker accepts
   * @throws KafkaException if a send or the commit failed (outcome unknown: the session ends)
   */
  void publish(WalReader reader, WalEntry first) throws RelayStopped, IOException {
    AtomicReference<Failure> failure = new AtomicReference<>();
    Position from = first.position();
    TransactionEvent event = new TransactionEvent();
    event.begin();
    producer().beginTransaction();
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
    while (count[0] < settings.maxRecordsPerTransaction()
        && bytes[0] < settings.maxBytesPerTransaction()
        && failure.get() == null
        && !progress.closing()) {
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
    event.firstPosition = from.toString();
    event.nextPosition = next[0].toString();
    event.records = count[0];
    event.bytes = bytes[0];
    try {
      producer().commitTransaction();
    } catch (KafkaException e) {
      progress.aborted();
      event.committed = false;
      event.error = KafkaRelay.oneLine(e);
      event.commit();
      Failure f = failure.get();
      if (f != null && f.cause instanceof RecordTooLargeException) {
        abortQuietly();
        throw tooLarge(f, from);
      }
      throw f == null ? e : f.cause instanceof KafkaException k ? k : new KafkaException(f.cause);
    }
    event.committed = true;
    event.commit();
    progress.committed(count[0], reader.position(), next[0]);
  }

  private static RelayStopped tooLarge(Failure f, Position from) {
    return new RelayStopped(
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

  /** The first failed send of a transaction, from the producer's callback. */
  private record Failure(Position position, long size, Exception cause) {}

  private void send(
      Position position,
      Position next,
      ByteBuffer key,
      @Nullable ByteBuffer value,
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
        producer()
            .send(
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
      producer().abortTransaction();
    } catch (KafkaException e) {
      // The producer is closed next anyway; the coordinator aborts at the next start.
    }
  }

  /** Closes the producer without waiting: unsent records belong to an unfinished transaction. */
  @Override
  public void close() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (KafkaException e) {
        // Closing without waiting: unsent records belong to an unfinished transaction.
      }
      producer = null;
    }
  }
}
