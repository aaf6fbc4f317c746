package dev.noriwal.kafka;

import dev.noriwal.Position;
import dev.noriwal.WalEntry;
import dev.noriwal.WalReader;
import java.io.IOException;
import java.time.Duration;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The relay's thread: sessions one after another until the relay is closed or stopped. A session
 * opens a {@link TransactionPublisher} (fencing earlier producers), reads the position back from
 * the topic ({@link PublishedTail}), checks it against the log ({@link RelayedLog#resumeAt}) and
 * publishes from there, one transaction after the other. Any failure ends the session and sorts it:
 * a broker that cannot be reached backs off (doubling), a missing topic or denied access waits the
 * longest backoff, a fenced relay, a record too large or a position that does not fit the log stops
 * the relay.
 *
 * <p>Confined to its own thread, which alone owns the producer and the log reader.
 */
final class RelayThread implements Runnable {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration TAIL_TIMEOUT = Duration.ofSeconds(30);

  private final RelaySettings settings;
  private final RelayedLog log;
  private final RelayProgress progress;

  RelayThread(RelaySettings settings, RelayedLog log, RelayProgress progress) {
    this.settings = settings;
    this.log = log;
    this.progress = progress;
  }

  @Override
  public void run() {
    long backoff = settings.initialBackoff().toMillis();
    while (!progress.closing()) {
      long committedBefore = progress.transactionsCommitted();
      try (TransactionPublisher publisher = new TransactionPublisher(settings, progress)) {
        session(publisher);
      } catch (RelayStopped e) {
        progress.report(RelayState.STOPPED, e.getMessage(), e.getCause());
        break;
      } catch (PublishedTail.MissingTopicException
          | AuthenticationException
          | AuthorizationException
          | InvalidTopicException
          | UnknownTopicOrPartitionException e) {
        progress.report(RelayState.MISCONFIGURED, e.getMessage(), null);
        backoff = settings.maxBackoff().toMillis();
      } catch (ProducerFencedException e) {
        progress.report(
            RelayState.STOPPED,
            "another relay with transactional.id '"
                + settings.transactionalId()
                + "' took over (this one is fenced): "
                + e.getMessage(),
            null);
        break;
      } catch (InterruptedException e) {
        if (!progress.closing()) {
          progress.report(RelayState.BACKING_OFF, "interrupted", null);
        }
      } catch (IOException | RuntimeException e) {
        if (progress.closing()) {
          break;
        }
        Throwable c = e instanceof KafkaException && e.getCause() != null ? e.getCause() : e;
        if (c instanceof AuthenticationException || c instanceof AuthorizationException) {
          progress.report(RelayState.MISCONFIGURED, c.getMessage(), null);
          backoff = settings.maxBackoff().toMillis();
        } else {
          progress.report(
              RelayState.BACKING_OFF,
              KafkaRelay.oneLine(e),
              e instanceof KafkaException ? null : e);
        }
      }
      if (progress.closing() || progress.state() == RelayState.STOPPED) {
        break;
      }
      if (progress.transactionsCommitted() != committedBefore) {
        backoff = settings.initialBackoff().toMillis();
      }
      progress.sleep(backoff);
      backoff = Math.min(backoff * 2, settings.maxBackoff().toMillis());
    }
    progress.ended();
  }

  private void session(TransactionPublisher publisher)
      throws RelayStopped, IOException, InterruptedException {
    progress.connecting();
    publisher.open();
    Position resume = log.resumeAt(PublishedTail.find(settings, TAIL_TIMEOUT));
    progress.resumedAt(resume);
    // A relay that resumes at the log's end is caught up from its first moment, so its lag in
    // records is known at once (not only after its first empty poll).
    progress.noteCaughtUp(resume);
    try (WalReader reader = log.wal().readFrom(resume)) {
      progress.running();
      while (!progress.closing()) {
        if (progress.paused()) {
          progress.awaitResumed();
          continue;
        }
        WalEntry first = reader.poll(POLL);
        if (first == null) {
          progress.noteCaughtUp(reader.position());
          continue;
        }
        publisher.publish(reader, first);
      }
    }
  }
}
