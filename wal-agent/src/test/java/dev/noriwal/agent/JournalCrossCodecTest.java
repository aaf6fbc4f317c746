package dev.noriwal.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.noriwal.FsyncPolicy;
import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.journal.AcceptedTypes;
import dev.noriwal.journal.Completion;
import dev.noriwal.journal.Invocation;
import dev.noriwal.journal.InvocationCodec;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JournalCodecException;
import dev.noriwal.journal.JournalEntry;
import dev.noriwal.journal.JsonbInvocationCodec;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal written by the agent's codec is read by the JSON-B codec the CDI layer reads with, and
 * the other way round, over every declared type the "json" codec accepts ({@link AcceptedTypes}):
 * through {@link Journal} on a real log, as the agent's advice and the CDI interceptor write.
 */
class JournalCrossCodecTest {
  private static final JsonbInvocationCodec JSONB = JsonbInvocationCodec.json();
  private static final InvocationCodec AGENT = GsonInvocationCodec.INSTANCE;

  @TempDir Path dir;

  @AfterAll
  static void close() {
    JSONB.close();
  }

  @Test
  void aJournalWrittenByTheAgentIsDecodedByTheJsonbCodec() throws Exception {
    writeEveryCallThenDecode(AGENT, JSONB);
  }

  @Test
  void aJournalWrittenByTheJsonbCodecIsDecodedByTheAgent() throws Exception {
    writeEveryCallThenDecode(JSONB, AGENT);
  }

  @Test
  void bothCodecsWriteTheSameJsonForEveryAcceptedType() {
    for (AcceptedTypes.Call c : AcceptedTypes.calls()) {
      Method m = c.method();
      assertEquals(
          JsonParser.parseString(utf8(JSONB.encodeArguments(m, c.args()))),
          JsonParser.parseString(utf8(AGENT.encodeArguments(m, c.args()))),
          c.toString());
      byte[] result = JSONB.encodeResult(m, c.result());
      if (result != null) {
        assertEquals(
            JsonParser.parseString(utf8(result)),
            JsonParser.parseString(utf8(AGENT.encodeResult(m, c.result()))),
            c.toString());
      }
    }
  }

  @Test
  void theAgentRefusesWhatTheDeploymentValidationRefuses() throws Exception {
    Method take = Types.class.getMethod("take", Object.class);
    JournalCodecException e =
        assertThrows(
            JournalCodecException.class, () -> AGENT.encodeArguments(take, new Object[] {"x"}));
    assertTrue(
        e.getMessage().startsWith("argument 0 (java.lang.Object) of take(java.lang.Object): "),
        e.getMessage());
    assertEquals("json", AGENT.id());
  }

  public static class Types {
    public void take(Object anything) {}
  }

  private void writeEveryCallThenDecode(InvocationCodec writer, InvocationCodec reader)
      throws Exception {
    List<AcceptedTypes.Call> calls = AcceptedTypes.calls();
    try (Wal wal =
        Wal.open(
            WalConfig.builder(dir).fsyncPolicy(FsyncPolicy.always()).preallocate(false).build())) {
      for (AcceptedTypes.Call c : calls) {
        String id = Journal.begin(wal, writer, AcceptedTypes.Api.class, c.method(), c.args());
        Journal.complete(wal, writer, id, c.method(), c.result());
      }
    }
    List<JournalEntry> read;
    try (Wal wal = Wal.open(WalConfig.builder(dir).preallocate(false).build())) {
      read = Journal.entries(wal);
    }
    assertEquals(2 * calls.size(), read.size());
    for (int i = 0; i < calls.size(); i++) {
      AcceptedTypes.Call c = calls.get(i);
      Invocation inv = assertInstanceOf(Invocation.class, read.get(2 * i));
      assertEquals(Journal.signature(c.method()), inv.method());
      assertEquals(reader.id(), inv.codec());
      assertArrayEquals(
          c.args(), reader.decodeArguments(c.method(), inv.arguments()), c.toString());
      byte[] result = assertInstanceOf(Completion.class, read.get(2 * i + 1)).result();
      if (c.method().getReturnType() == void.class) {
        assertNull(result);
      } else {
        assertEquals(c.result(), reader.decodeResult(c.method(), result), c.toString());
      }
    }
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
