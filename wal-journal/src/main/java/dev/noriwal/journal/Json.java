package dev.noriwal.journal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A minimal JSON tree reader and writer (RFC 8259), so the journal needs no library.
 *
 * <p>Trees are made of {@code null}, {@link Boolean}, {@link BigDecimal} (every number, so no
 * precision is lost), {@link String}, {@link List} and {@link LinkedHashMap} (member order kept).
 * Stateless and thread-safe.
 */
final class Json {
  /** Deeper nesting than this is refused, so a hostile record cannot overflow the stack. */
  static final int MAX_DEPTH = 256;

  private Json() {}

  static String write(@Nullable Object tree) {
    StringBuilder sb = new StringBuilder();
    write(tree, sb);
    return sb.toString();
  }

  static void write(@Nullable Object v, StringBuilder sb) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (v instanceof BigDecimal d) {
      sb.append(d.toString());
    } else if (v instanceof Number n) {
      sb.append(n.toString());
    } else if (v instanceof String s) {
      quote(s, sb);
    } else if (v instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(list.get(i), sb);
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote((String) e.getKey(), sb);
        sb.append(':');
        write(e.getValue(), sb);
      }
      sb.append('}');
    } else {
      throw new IllegalArgumentException("not a JSON tree node: " + v.getClass().getName());
    }
  }

  static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /**
   * Parses one JSON text.
   *
   * @throws IllegalArgumentException naming the offset of the first syntax error
   */
  static @Nullable Object parse(String text) {
    Parser p = new Parser(text);
    p.skipWs();
    Object v = p.value(0);
    p.skipWs();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the JSON value");
    }
    return v;
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    @Nullable Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("nesting deeper than " + MAX_DEPTH);
      }
      if (pos >= s.length()) {
        throw error("unexpected end of JSON text");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{' -> {
          return object(depth);
        }
        case '[' -> {
          return array(depth);
        }
        case '"' -> {
          return string();
        }
        case 't' -> {
          literal("true");
          return true;
        }
        case 'f' -> {
          literal("false");
          return false;
        }
        case 'n' -> {
          literal("null");
          return null;
        }
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + c + "'");
        }
      }
    }

    private Map<String, Object> object(int depth) {
      pos++; // {
      Map<String, Object> map = new LinkedHashMap<>();
      skipWs();
      if (peek() == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipWs();
        if (peek() != '"') {
          throw error("expected a member name");
        }
        String key = string();
        skipWs();
        expect(':');
        skipWs();
        Object v = value(depth + 1);
        if (map.containsKey(key)) {
          throw error("duplicate member \"" + key + "\"");
        }
        map.put(key, v);
        skipWs();
        char c = next();
        if (c == '}') {
          return map;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or '}'");
        }
      }
    }

    private List<Object> array(int depth) {
      pos++; // [
      List<Object> list = new ArrayList<>();
      skipWs();
      if (peek() == ']') {
        pos++;
        return list;
      }
      while (true) {
        skipWs();
        list.add(value(depth + 1));
        skipWs();
        char c = next();
        if (c == ']') {
          return list;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or ']'");
        }
      }
    }

    private String string() {
      pos++; // "
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          pos--;
          throw error("control character in string");
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"' -> sb.append('"');
          case '\\' -> sb.append('\\');
          case '/' -> sb.append('/');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw error("truncated \\u escape");
            }
            try {
              sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw error("bad \\u escape");
            }
            pos += 4;
          }
          default -> {
            pos--;
            throw error("bad escape '\\" + e + "'");
          }
        }
      }
    }

    private BigDecimal number() {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      if (peek() == '0') {
        pos++;
      } else if (isDigit(peek())) {
        while (isDigit(peek())) {
          pos++;
        }
      } else {
        throw error("expected a digit");
      }
      if (peek() == '.') {
        pos++;
        if (!isDigit(peek())) {
          throw error("expected a digit after '.'");
        }
        while (isDigit(peek())) {
          pos++;
        }
      }
      if (peek() == 'e' || peek() == 'E') {
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
        if (!isDigit(peek())) {
          throw error("expected a digit in the exponent");
        }
        while (isDigit(peek())) {
          pos++;
        }
      }
      try {
        return new BigDecimal(s.substring(start, pos));
      } catch (NumberFormatException ex) { // exponent out of int range
        pos = start;
        throw error("number out of range");
      }
    }

    private void literal(String word) {
      if (!s.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
    }

    void skipWs() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    private char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private char next() {
      if (pos >= s.length()) {
        throw error("unexpected end of JSON text");
      }
      return s.charAt(pos++);
    }

    private void expect(char c) {
      if (next() != c) {
        pos--;
        throw error("expected '" + c + "'");
      }
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + what);
    }
  }
}
