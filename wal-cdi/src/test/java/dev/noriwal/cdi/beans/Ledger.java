package dev.noriwal.cdi.beans;

import dev.noriwal.Position;
import dev.noriwal.Wal;
import dev.noriwal.WalEntry;
import dev.noriwal.WalReader;
import dev.noriwal.cdi.Durable;
import dev.noriwal.cdi.Journaled;
import dev.noriwal.journal.Invocation;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JournalEntry;
import dev.noriwal.journal.JournalFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A journaled application bean whose methods look at their own journal. */
@ApplicationScoped
public class Ledger {
  private final AtomicInteger bodiesRun = new AtomicInteger();

  @Inject
  @Durable("ledger")
  Wal wal;

  /**
   * Reads the log from inside the method body, without forcing it: a reader only sees durable
   * records, so what it returns proves the invocation record was durable before the body ran.
   *
   * @return "signature arguments" of every unfinished invocation visible from inside the body
   */
  @Journaled("ledger")
  public List<String> post(String account, long cents) {
    bodiesRun.incrementAndGet();
    List<JournalEntry> seen = new ArrayList<>();
    try (WalReader r = wal.readFrom(new Position(wal.segments().get(0).id(), 0))) {
      for (WalEntry e = r.next(); e != null; e = r.next()) {
        if (JournalFormat.isJournalRecord(e.record())) {
          seen.add(JournalFormat.fromRecord(e.record()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> out = new ArrayList<>();
    for (Invocation i : Journal.unfinished(seen)) {
      out.add(i.method() + " " + new String(i.arguments(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Journaled("ledger")
  public void close(String account) {
    bodiesRun.incrementAndGet();
    throw new IllegalStateException("account is frozen: " + account);
  }

  /** The json codec cannot encode Object; the call completes with no recorded result. */
  @Journaled("ledger")
  public Object snapshot() {
    bodiesRun.incrementAndGet();
    return new Object();
  }

  /** JSON-B cannot serialize an Exploding; the body must not run. */
  @Journaled(value = "ledger", codec = "jsonb")
  public void attach(Exploding note) {
    bodiesRun.incrementAndGet();
  }

  /** How many method bodies ran (a method: fields of a client proxy are not the bean's). */
  public int bodiesRun() {
    return bodiesRun.get();
  }

  public Wal wal() {
    return wal;
  }

  /** A value whose only property throws when read. */
  public static class Exploding {
    public String getText() {
      throw new IllegalStateException("cannot read me");
    }
  }
}
