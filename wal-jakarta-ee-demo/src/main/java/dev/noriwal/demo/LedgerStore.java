package dev.noriwal.demo;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.Position;
import dev.noriwal.RecoveryInfo;
import dev.noriwal.SegmentInfo;
import dev.noriwal.Wal;
import dev.noriwal.WalEntry;
import dev.noriwal.WalReader;
import dev.noriwal.WalRecord;
import dev.noriwal.cdi.Durable;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger's event log and the state derived from it. At construction the whole {@code ledger}
 * log is replayed into a {@link Ledger}; afterwards {@link #commit} checks an event against the
 * state, appends it and only then applies it, so the state never holds anything the log does not.
 *
 * <p>{@link #commit} returns once the event is durable: the ledger log is configured with fsync
 * {@code always}, and under any other policy this class forces the log itself before returning. A
 * request is therefore never acknowledged for an event a crash could take back.
 *
 * <p>Thread-safe: commits and reads of the state are serialized on this object. Holding the lock
 * across the append keeps the log order equal to the order the rules were checked in; it also means
 * one force per commit, which is what a demo can afford.
 */
@ApplicationScoped
public class LedgerStore {
  private static final System.Logger LOG = System.getLogger(LedgerStore.class.getName());

  /** What replaying the log at startup found. */
  public record Replay(
      long records, long events, long undecodable, Duration took, RecoveryInfo engine) {}

  /** An event and where it sits in the log. */
  public record Committed(LedgerEvent event, Position position) {}

  private final Wal log;
  private final Ledger ledger = new Ledger(); // guarded by this
  private final Map<String, Committed> byId = new HashMap<>(); // guarded by this
  private Replay replay; // set once in init()

  @Inject
  LedgerStore(@Durable("ledger") Wal log) {
    this.log = log;
  }

  /** For the client proxy of this normal-scoped bean. */
  protected LedgerStore() {
    this.log = null;
  }

  @PostConstruct
  void init() {
    long start = System.nanoTime();
    long records = 0;
    long undecodable = 0;
    try (WalReader reader = log.readFrom(oldest())) {
      synchronized (this) {
        for (WalEntry e = reader.next(); e != null; e = reader.next()) {
          records++;
          LedgerEvent event;
          try {
            event = LedgerEvent.fromValue(e.record().value());
          } catch (IllegalArgumentException ex) {
            // Not ours (another tool wrote to this log): keep going, report the count.
            undecodable++;
            LOG.log(Level.WARNING, "skipping record at " + e.position() + ": " + ex.getMessage());
            continue;
          }
          ledger.apply(event);
          byId.put(event.id(), new Committed(event, e.position()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("replaying the ledger log", e);
    }
    replay =
        new Replay(
            records,
            records - undecodable,
            undecodable,
            Duration.ofNanos(System.nanoTime() - start),
            log.recoveryInfo());
    LOG.log(
        Level.INFO,
        "ledger rebuilt from " + records + " records in " + replay.took().toMillis() + " ms");
  }

  /**
   * Checks {@code event}, appends it durably and applies it. An event whose id is already in the
   * ledger is not appended again: if it is the same command (a client retry) the stored one is
   * returned, otherwise the request is refused.
   *
   * @throws LedgerException if the ledger's rules refuse it; nothing is written
   * @throws UncheckedIOException if the log cannot take it (then the ledger has stopped: see {@link
   *     Wal})
   */
  public synchronized Committed commit(LedgerEvent event) {
    Committed existing = byId.get(event.id());
    if (existing != null) {
      if (sameCommand(existing.event(), event)) {
        return existing;
      }
      throw new LedgerException(
          409, "duplicate_id", "id \"" + event.id() + "\" is already used by another event");
    }
    ledger.check(event);
    Position p;
    try {
      p = log.append(WalRecord.put(event.key(), event.value()));
      if (!(log.config().fsyncPolicy() instanceof FsyncPolicy.Always)) {
        log.sync();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("appending to the ledger log", e);
    }
    ledger.apply(event);
    Committed c = new Committed(event, p);
    byId.put(event.id(), c);
    return c;
  }

  private static boolean sameCommand(LedgerEvent a, LedgerEvent b) {
    // Equal apart from the time they were issued.
    return withoutTime(a).equals(withoutTime(b));
  }

  private static Map<String, Object> withoutTime(LedgerEvent e) {
    Map<String, Object> m = new HashMap<>(e.toJson());
    m.remove("at");
    return m;
  }

  /** The event with this id, if the ledger has it. */
  public synchronized Optional<Committed> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public synchronized Map<String, Long> balances() {
    return ledger.balances();
  }

  /**
   * The balance of {@code account}, in cents.
   *
   * @throws LedgerException 404 if there is no such account
   */
  public synchronized long balanceOf(String account) {
    return ledger.balanceOf(account);
  }

  public synchronized long total() {
    return ledger.total();
  }

  public synchronized long events() {
    return ledger.events();
  }

  public Replay replay() {
    return replay;
  }

  public Wal log() {
    return log;
  }

  /** The last {@code limit} events, newest first, read back from the log itself. */
  public List<Committed> latest(int limit) {
    ArrayDeque<Committed> last = new ArrayDeque<>(Math.min(limit, 1024));
    try (WalReader reader = log.readFrom(oldest())) {
      for (WalEntry e = reader.next(); e != null; e = reader.next()) {
        LedgerEvent event;
        try {
          event = LedgerEvent.fromValue(e.record().value());
        } catch (IllegalArgumentException ex) {
          continue;
        }
        if (last.size() == limit) {
          last.removeFirst();
        }
        last.addLast(new Committed(event, e.position()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the ledger log", e);
    }
    List<Committed> newestFirst = new ArrayList<>(last.size());
    last.descendingIterator().forEachRemaining(newestFirst::add);
    return newestFirst;
  }

  private Position oldest() {
    List<SegmentInfo> segments = log.segments();
    return segments.isEmpty() ? Position.START : new Position(segments.get(0).id(), 0);
  }
}
