package dev.noriwal.journal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How {@link JournalTool} prints one entry. Text: {@code POSITION invocation ID TIME CLASS#METHOD
 * codec=ID args=BYTES}, {@code POSITION completion ID TIME result=BYTES|(none)}, {@code POSITION
 * failure ID TIME CLASS: MESSAGE}. JSON: one object per line with the members {@code position,
 * type, id, time} and then {@code bean, method, codec, args} / {@code result} / {@code exception,
 * message}.
 *
 * <p>The codec's bytes are shown as they are when they are UTF-8 (the JSON codecs' are), otherwise
 * as {@code base64:...}. In JSON output the bytes of the JSON codecs ({@code json}, {@code jsonb})
 * are embedded as JSON values, everything else as a string. Stateless.
 */
final class EntryText {
  private static final Set<String> JSON_CODECS =
      Set.of(JsonbInvocationCodec.JSON, JsonbInvocationCodec.JSONB);

  private EntryText() {}

  static String text(JournalTool.Line line) {
    JournalEntry e = line.entry();
    String head = e.invocationId() + " " + e.timestamp();
    if (e instanceof Invocation i) {
      return "invocation "
          + head
          + " "
          + i.beanClass()
          + "#"
          + i.method()
          + " codec="
          + i.codec()
          + " args="
          + shown(i.arguments());
    }
    if (e instanceof Completion c) {
      byte[] result = c.result();
      return "completion " + head + " result=" + (result == null ? "(none)" : shown(result));
    }
    Failure f = (Failure) e; // JournalEntry is sealed: the third and last kind
    return "failure " + head + " " + f.exceptionType() + ": " + f.message();
  }

  static String json(JournalTool.Line line, String codec) {
    JournalEntry e = line.entry();
    StringBuilder sb = new StringBuilder("{");
    member(sb, "position", quote(line.position().toString()));
    if (e instanceof Invocation i) {
      header(sb, "invocation", e);
      member(sb, "bean", quote(i.beanClass()));
      member(sb, "method", quote(i.method()));
      member(sb, "codec", quote(i.codec()));
      member(sb, "args", value(i.arguments(), codec));
    } else if (e instanceof Completion c) {
      header(sb, "completion", e);
      byte[] result = c.result();
      member(sb, "result", result == null ? "null" : value(result, codec));
    } else if (e instanceof Failure f) {
      header(sb, "failure", e);
      member(sb, "exception", quote(f.exceptionType()));
      String message = f.message();
      member(sb, "message", message == null ? "null" : quote(message));
    }
    return sb.append('}').toString();
  }

  private static void header(StringBuilder sb, String type, JournalEntry e) {
    member(sb, "type", quote(type));
    member(sb, "id", quote(e.invocationId()));
    member(sb, "time", quote(e.timestamp().toString()));
  }

  private static void member(StringBuilder sb, String name, String jsonValue) {
    if (sb.length() > 1) {
      sb.append(',');
    }
    sb.append(quote(name)).append(':').append(jsonValue);
  }

  private static String value(byte[] bytes, String codec) {
    String text = utf8(bytes);
    if (text != null && JSON_CODECS.contains(codec)) {
      return text; // already JSON: the codec wrote it
    }
    return quote(shown(bytes));
  }

  private static String shown(byte[] bytes) {
    String text = utf8(bytes);
    return text != null ? text : "base64:" + Base64.getEncoder().encodeToString(bytes);
  }

  private static @Nullable String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** A JSON string literal (RFC 8259 escapes). */
  private static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
