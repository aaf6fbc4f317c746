package dev.noriwal.journal;

import dev.noriwal.Position;
import dev.noriwal.SegmentInfo;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.WalEntry;
import dev.noriwal.WalReader;
import dev.noriwal.WalState;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads invocation journals: the calls used by the agent's advice and by the CDI
 * interceptor, and the scan that finds calls that started but never finished (a crash in the middle
 * of a business method).
 *
 * <p>Durability: {@link #begin} returns after {@link Wal#append} returned, so the invocation record
 * is as durable as the log's {@link dev.noriwal.FsyncPolicy} promises (forced under {@code
 * always()}). Completion and failure records use the same append.
 *
 * <p>Thread-safe: every method is static and only touches the given log.
 */
public final class Journal {

  private Journal() {}

  /**
   * Journals the start of a call and returns its fresh invocation id.
   *
   * @throws JournalCodecException if an argument cannot be encoded (nothing is appended)
   * @throws IOException if the append fails
   */
  public static String begin(
      Wal wal, InvocationCodec codec, Class<?> bean, Method m, @Nullable Object[] args)
      throws IOException {
    byte[] encoded = codec.encodeArguments(m, args);
    String id = UUID.randomUUID().toString();
    wal.append(
        JournalFormat.toRecord(
            new Invocation(id, bean.getName(), signature(m), Instant.now(), codec.id(), encoded)));
    return id;
  }

  /**
   * Journals that call {@code id} returned {@code result}.
   *
   * @throws JournalCodecException if the result cannot be encoded (nothing is appended)
   * @throws IOException if the append fails
   */
  public static void complete(
      Wal wal, InvocationCodec codec, String id, Method m, @Nullable Object result)
      throws IOException {
    byte @Nullable [] encoded = codec.encodeResult(m, result);
    wal.append(JournalFormat.toRecord(new Completion(id, Instant.now(), encoded)));
  }

  /**
   * Journals that call {@code id} returned, without its result: for a result the codec could not
   * encode (the call has run; its outcome is still recorded).
   *
   * @throws IOException if the append fails
   */
  public static void completeWithoutResult(Wal wal, String id) throws IOException {
    wal.append(JournalFormat.toRecord(new Completion(id, Instant.now(), null)));
  }

  /**
   * Journals that call {@code id} threw {@code t}.
   *
   * @throws IOException if the append fails
   */
  public static void fail(Wal wal, String id, Throwable t) throws IOException {
    wal.append(
        JournalFormat.toRecord(
            new Failure(id, Instant.now(), t.getClass().getName(), t.getMessage())));
  }

  /**
   * Every journal entry in {@code wal}, in log order, from its oldest segment. Records that are not
   * journal records are skipped; a record with the journal key prefix that cannot be read fails
   * with {@link JournalFormatException} naming its position.
   */
  public static List<JournalEntry> entries(Wal wal) throws IOException {
    List<JournalEntry> out = new ArrayList<>();
    if (wal.state() == WalState.OPEN) {
      // Readers stop at the durable position; make everything appended so far readable.
      wal.sync();
    }
    List<SegmentInfo> segments = wal.segments();
    if (segments.isEmpty()) {
      return out;
    }
    try (WalReader reader = wal.readFrom(new Position(segments.get(0).id(), 0))) {
      for (WalEntry e = reader.next(); e != null; e = reader.next()) {
        if (JournalFormat.isJournalRecord(e.record())) {
          out.add(JournalFormat.fromEntry(e));
        }
      }
    }
    return out;
  }

  /**
   * The invocations in {@code wal} that have neither a completion nor a failure, in log order.
   * After a crash these are the calls that may or may not have taken effect.
   */
  public static List<Invocation> unfinished(Wal wal) throws IOException {
    return unfinished(entries(wal));
  }

  /**
   * Opens the log in {@code directory} (recovering a torn tail, as {@link Wal#open} does), lists
   * its {@link #unfinished(Wal) unfinished} invocations and closes it. The log must not be open
   * elsewhere: opening takes its lock.
   */
  public static List<Invocation> unfinished(Path directory) throws IOException {
    try (Wal wal = Wal.open(WalConfig.builder(directory).preallocate(false).build())) {
      return unfinished(wal);
    }
  }

  /** The invocations among {@code entries} without a later completion or failure. */
  public static List<Invocation> unfinished(List<JournalEntry> entries) {
    Map<String, Invocation> open = new LinkedHashMap<>();
    for (JournalEntry e : entries) {
      if (e instanceof Invocation i) {
        open.put(i.invocationId(), i);
      } else {
        open.remove(e.invocationId());
      }
    }
    return List.copyOf(open.values());
  }

  /**
   * The method signature stored in {@link Invocation#method()}: the name and the erased parameter
   * types' names, e.g. {@code transfer(java.lang.String,long)} or {@code
   * put(byte[],java.util.List)}.
   */
  public static String signature(Method m) {
    Objects.requireNonNull(m, "m");
    StringBuilder sb = new StringBuilder(m.getName()).append('(');
    Class<?>[] p = m.getParameterTypes();
    for (int i = 0; i < p.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(p[i].getTypeName());
    }
    return sb.append(')').toString();
  }
}
