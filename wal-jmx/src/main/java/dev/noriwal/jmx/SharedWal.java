package dev.noriwal.jmx;

import dev.noriwal.LogFailedException;
import dev.noriwal.Position;
import dev.noriwal.RecoveryInfo;
import dev.noriwal.RetentionClaim;
import dev.noriwal.SegmentDeletion;
import dev.noriwal.SegmentInfo;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalListener;
import dev.noriwal.WalReader;
import dev.noriwal.WalRecord;
import dev.noriwal.WalState;
import dev.noriwal.WalStats;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Wal} that {@link WalService#open} hands out: it forwards to whichever log is currently
 * open under its name, so it keeps working after an operator's {@code recover} or a close and
 * reopen. Calls made while the log is not open fail with {@link LogFailedException} (or {@link
 * IllegalStateException} where no {@code IOException} is declared). {@link #close()} closes the log
 * in the service for every holder. Thread-safe.
 */
final class SharedWal implements Wal {
  private final ManagedLog log;
  private final List<WalListener> listeners = new CopyOnWriteArrayList<>();
  private final List<SharedClaim> claims = new CopyOnWriteArrayList<>();

  SharedWal(ManagedLog log) {
    this.log = log;
  }

  void attached(Wal w) {
    for (WalListener l : listeners) {
      w.addListener(l);
    }
    for (SharedClaim c : claims) {
      c.attach(w);
    }
  }

  void detached(Wal w) {
    for (WalListener l : listeners) {
      w.removeListener(l);
    }
    for (SharedClaim c : claims) {
      c.detach();
    }
  }

  private Wal current() throws LogFailedException {
    Wal w = log.wal();
    if (w == null) {
      throw new LogFailedException(
          "log '" + log.name() + "' is " + log.state() + " in " + log.config().directory(),
          log.failure());
    }
    return w;
  }

  private Wal currentUnchecked() {
    Wal w = log.wal();
    if (w == null) {
      throw new IllegalStateException(
          "log '" + log.name() + "' is " + log.state() + " in " + log.config().directory(),
          log.failure());
    }
    return w;
  }

  @Override
  public WalConfig config() {
    return log.config();
  }

  @Override
  public RecoveryInfo recoveryInfo() {
    return currentUnchecked().recoveryInfo();
  }

  @Override
  public Position append(WalRecord record) throws IOException {
    return current().append(record);
  }

  @Override
  public List<Position> appendBatch(List<WalRecord> records) throws IOException {
    return current().appendBatch(records);
  }

  @Override
  public CompletableFuture<Position> appendAsync(WalRecord record) {
    Wal w = log.wal();
    if (w == null) {
      try {
        w = current(); // throws for a closed or failed log; a log reopened meanwhile is returned
      } catch (LogFailedException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return w.appendAsync(record);
  }

  @Override
  public void sync() throws IOException {
    current().sync();
  }

  @Override
  public void flush() throws IOException {
    current().flush();
  }

  @Override
  public void rotate() throws IOException {
    current().rotate();
  }

  @Override
  public Position currentPosition() {
    return currentUnchecked().currentPosition();
  }

  @Override
  public SegmentDeletion deleteSegmentsBefore(Position position) throws IOException {
    return current().deleteSegmentsBefore(position);
  }

  /** A claim that, like the listeners, moves to each log opened under this name. */
  @Override
  public RetentionClaim retain(String holder, Supplier<Position> oldestNeeded) {
    SharedClaim c = new SharedClaim(holder, oldestNeeded);
    claims.add(c);
    Wal w = log.wal();
    if (w != null) {
      c.attach(w);
    }
    return c;
  }

  private final class SharedClaim implements RetentionClaim {
    private final String holder;
    private final Supplier<Position> oldestNeeded;
    private @Nullable RetentionClaim inner;

    SharedClaim(String holder, Supplier<Position> oldestNeeded) {
      this.holder = holder;
      this.oldestNeeded = oldestNeeded;
    }

    synchronized void attach(Wal w) {
      detach();
      inner = w.retain(holder, oldestNeeded);
    }

    synchronized void detach() {
      if (inner != null) {
        inner.close();
        inner = null;
      }
    }

    @Override
    public String holder() {
      return holder;
    }

    @Override
    public void close() {
      claims.remove(this);
      detach();
    }
  }

  @Override
  public WalReader readFrom(Position position) throws IOException {
    return current().readFrom(position);
  }

  @Override
  public List<SegmentInfo> segments() {
    return currentUnchecked().segments();
  }

  @Override
  public WalStats stats() {
    return currentUnchecked().stats();
  }

  @Override
  public WalState state() {
    Wal w = log.wal();
    if (w != null) {
      return w.state();
    }
    return log.state() == WalState.CLOSED ? WalState.CLOSED : WalState.FAILED;
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.ofNullable(log.failure());
  }

  @Override
  public void addListener(WalListener listener) {
    listeners.add(listener);
    Wal w = log.wal();
    if (w != null) {
      w.addListener(listener);
    }
  }

  @Override
  public void removeListener(WalListener listener) {
    listeners.remove(listener);
    Wal w = log.wal();
    if (w != null) {
      w.removeListener(listener);
    }
  }

  /** Closes the log for every holder of this handle (the service keeps it, in state CLOSED). */
  @Override
  public void close() throws IOException {
    log.close();
  }

  @Override
  public String toString() {
    return "SharedWal[" + log.name() + ", " + log.config().directory() + ", " + log.state() + "]";
  }
}
