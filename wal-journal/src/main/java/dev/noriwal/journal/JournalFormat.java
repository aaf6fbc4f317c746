package dev.noriwal.journal;

import dev.noriwal.WalEntry;
import dev.noriwal.WalRecord;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link JournalEntry} is stored as one {@link WalRecord}: a plain put (no tombstone, TTL or
 * compression) whose key names the invocation and whose value is the entry in binary fields.
 * Version 1; all integers big-endian (network order), all text UTF-8:
 *
 * <pre>
 * key   = "inv/" + invocation id
 *
 * value
 *   0       1   version = 1
 *   1       1   type: 'I' (0x49) invocation, 'C' (0x43) completion, 'F' (0x46) failure
 *   2       F   invocation id (equal to the key's suffix)
 *   .       8   time: seconds since 1970-01-01T00:00:00Z (signed)
 *   .       4   time: nanoseconds within that second, 0..999,999,999
 *   then, by type:
 *   'I'     F   bean: binary class name, e.g. com.example.Bank
 *           F   method: name and erased parameter types, e.g. transfer(java.lang.String,long)
 *           F   codec id, e.g. json
 *           F   arguments: the codec's bytes
 *   'C'     F?  result: the codec's bytes (absent: void, or not recorded)
 *   'F'     F   exception: binary class name, e.g. java.lang.IllegalStateException
 *           F?  message (absent: the exception had none)
 *   end of value (no byte may follow)
 *
 * F  = field: length (4, signed) then that many bytes; length 0 is an empty field
 * F? = the same, with length -1 (0xFFFFFFFF) meaning absent and no bytes following
 * </pre>
 *
 * The codec's bytes are stored as they are, inside one length-prefixed field, so nothing is encoded
 * twice and a reader that does not have the codec still reads every other field. A reader refuses a
 * version or type it does not know, a length that runs past the value, bytes after the last field
 * and text that is not UTF-8, naming the record and the value offset (see {@link
 * JournalFormatException}). Every other key in the same log is not a journal record: {@link
 * #isJournalRecord} tells them apart. Stateless and thread-safe.
 */
public final class JournalFormat {

  /** Prefix of every journal record key. */
  public static final String KEY_PREFIX = "inv/";

  /** The format version, the first byte of every value. */
  public static final int VERSION = 1;

  static final byte INVOCATION = 'I';
  static final byte COMPLETION = 'C';
  static final byte FAILURE = 'F';

  private static final int ABSENT = -1;

  private JournalFormat() {}

  /** The record that stores {@code entry}. */
  public static WalRecord toRecord(JournalEntry entry) {
    Writer w = new Writer();
    w.out.write(VERSION);
    if (entry instanceof Invocation i) {
      w.out.write(INVOCATION);
      w.header(i);
      w.text(i.beanClass());
      w.text(i.method());
      w.text(i.codec());
      w.field(i.arguments());
    } else if (entry instanceof Completion c) {
      w.out.write(COMPLETION);
      w.header(c);
      w.field(c.result());
    } else if (entry instanceof Failure f) {
      w.out.write(FAILURE);
      w.header(f);
      w.text(f.exceptionType());
      w.field(f.message() == null ? null : utf8(f.message()));
    }
    return WalRecord.put(utf8(KEY_PREFIX + entry.invocationId()), w.out.toByteArray());
  }

  /** Whether {@code record} claims to be a journal record (its key starts with {@code inv/}). */
  public static boolean isJournalRecord(WalRecord record) {
    byte[] k = record.key();
    if (record.isTombstone() || k.length < KEY_PREFIX.length()) {
      return false;
    }
    for (int i = 0; i < KEY_PREFIX.length(); i++) {
      if (k[i] != KEY_PREFIX.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads the journal record of a log entry; a failure names the entry's position.
   *
   * @throws JournalFormatException when it is not a valid journal record
   */
  public static JournalEntry fromEntry(WalEntry entry) {
    return read(entry.record(), "journal record at " + entry.position());
  }

  /**
   * Reads a journal record back.
   *
   * @throws JournalFormatException naming what is wrong and where in the value when {@code record}
   *     is not a valid journal record (wrong key prefix, unknown version or type, a field that runs
   *     past the value, bytes after the last field, an id that differs from the key's)
   */
  public static JournalEntry fromRecord(WalRecord record) {
    return read(record, "journal record");
  }

  private static JournalEntry read(WalRecord record, String where) {
    if (!isJournalRecord(record)) {
      throw new JournalFormatException(
          where
              + ": not a journal record: "
              + (record.isTombstone() ? "a tombstone" : "key does not start with \"inv/\""));
    }
    String keyId;
    try {
      keyId = strictUtf8(record.key()).substring(KEY_PREFIX.length());
    } catch (CharacterCodingException e) {
      throw new JournalFormatException(where + ": key is not UTF-8", e);
    }
    Reader r = new Reader(ByteBuffer.wrap(record.value()), where + " (inv/" + keyId + ")");
    int version = r.u8("version");
    if (version != VERSION) {
      throw r.problem(0, "unknown version " + version + " (this reader knows " + VERSION + ")");
    }
    int type = r.u8("type");
    int idAt = r.at();
    String id = r.text("invocation id");
    if (!id.equals(keyId)) {
      throw r.problem(idAt, "invocation id " + id + " differs from the key's " + keyId);
    }
    Instant time = r.time();
    JournalEntry entry =
        switch (type) {
          case INVOCATION ->
              new Invocation(
                  id,
                  r.text("bean"),
                  r.text("method"),
                  time,
                  r.text("codec id"),
                  r.bytes("arguments"));
          case COMPLETION -> new Completion(id, time, r.optionalBytes("result"));
          case FAILURE -> new Failure(id, time, r.text("exception"), r.optionalText("message"));
          default ->
              throw r.problem(
                  1, "unknown type 0x" + Integer.toHexString(type) + " (known: 'I', 'C', 'F')");
        };
    r.requireEnd();
    return entry;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String strictUtf8(byte[] b) throws CharacterCodingException {
    CharBuffer chars =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(b));
    return chars.toString();
  }

  /** Builds one value. Not thread-safe; one per record. */
  private static final class Writer {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    void header(JournalEntry e) {
      text(e.invocationId());
      Instant time = e.timestamp();
      ByteBuffer t = ByteBuffer.allocate(12);
      t.putLong(time.getEpochSecond()).putInt(time.getNano());
      out.writeBytes(t.array());
    }

    void text(String s) {
      field(utf8(s));
    }

    void field(byte @Nullable [] b) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(b == null ? ABSENT : b.length).array());
      if (b != null) {
        out.writeBytes(b);
      }
    }
  }

  /** Reads one value front to back. Not thread-safe; one per record. */
  private static final class Reader {
    private final ByteBuffer in;
    private final String where;

    Reader(ByteBuffer in, String where) {
      this.in = in;
      this.where = where;
    }

    int at() {
      return in.position();
    }

    JournalFormatException problem(int offset, String what) {
      return new JournalFormatException(where + ", value offset " + offset + ": " + what);
    }

    int u8(String name) {
      if (!in.hasRemaining()) {
        throw problem(in.position(), "the value ends before the " + name);
      }
      return in.get() & 0xFF;
    }

    Instant time() {
      int at = in.position();
      try {
        return Instant.ofEpochSecond(in.getLong(), in.getInt());
      } catch (BufferUnderflowException e) {
        throw problem(at, "the value ends inside the time (12 bytes)");
      } catch (DateTimeException | ArithmeticException e) {
        throw problem(at, "the time is out of range: " + e.getMessage());
      }
    }

    byte @Nullable [] optionalBytes(String name) {
      int at = in.position();
      if (in.remaining() < 4) {
        throw problem(at, "the value ends inside the length of the " + name);
      }
      int n = in.getInt();
      if (n == ABSENT) {
        return null;
      }
      if (n < 0 || n > in.remaining()) {
        throw problem(
            at, "the " + name + " is " + n + " bytes long, " + in.remaining() + " remain");
      }
      byte[] b = new byte[n];
      in.get(b);
      return b;
    }

    byte[] bytes(String name) {
      int at = in.position();
      byte[] b = optionalBytes(name);
      if (b == null) {
        throw problem(at, "the " + name + " is marked absent but is required");
      }
      return b;
    }

    @Nullable String optionalText(String name) {
      int at = in.position();
      byte[] b = optionalBytes(name);
      if (b == null) {
        return null;
      }
      try {
        return strictUtf8(b);
      } catch (CharacterCodingException e) {
        throw problem(at, "the " + name + " is not UTF-8");
      }
    }

    String text(String name) {
      int at = in.position();
      String s = optionalText(name);
      if (s == null) {
        throw problem(at, "the " + name + " is marked absent but is required");
      }
      return s;
    }

    void requireEnd() {
      if (in.hasRemaining()) {
        throw problem(in.position(), in.remaining() + " byte(s) after the last field of the entry");
      }
    }
  }
}
