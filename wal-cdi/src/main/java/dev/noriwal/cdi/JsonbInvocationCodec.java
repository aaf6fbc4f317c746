package dev.noriwal.cdi;

import dev.noriwal.journal.InvocationCodec;
import dev.noriwal.journal.JournalCodecException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON-B codec (id {@code "jsonb"}): each argument is bound with JSON-B using the declared
 * generic parameter type, and the arguments form one JSON array. It handles what JSON-B handles
 * (POJOs with accessors, records in JSON-B 3.0, dates, nested collections), which is more than the
 * built-in {@code "json"} codec; polymorphism only through JSON-B's explicit {@code @JsonbTypeInfo}
 * aliases, never through class names in the data.
 *
 * <p>Used only when the runtime provides JSON-B (every Jakarta EE server does). Thread-safe: one
 * {@link Jsonb} is shared, as JSON-B allows.
 */
public final class JsonbInvocationCodec implements InvocationCodec, AutoCloseable {

  /** The codec id stored in journal records. */
  public static final String ID = "jsonb";

  private final Jsonb jsonb;

  /** Creates the codec over a new {@link Jsonb}; fails if no JSON-B implementation is present. */
  public JsonbInvocationCodec() {
    this(JsonbBuilder.create());
  }

  public JsonbInvocationCodec(Jsonb jsonb) {
    this.jsonb = jsonb;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String encodeArguments(Method m, Object[] args) {
    Type[] types = m.getGenericParameterTypes();
    Object[] a = args == null ? new Object[0] : args;
    if (a.length != types.length) {
      throw new JournalCodecException(m + " takes " + types.length + " arguments, got " + a.length);
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < a.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      try {
        sb.append(a[i] == null ? "null" : jsonb.toJson(a[i], types[i]));
      } catch (RuntimeException e) {
        throw new JournalCodecException(
            "argument " + i + " (" + types[i].getTypeName() + ") of " + m + ": " + e, e);
      }
    }
    return sb.append(']').toString();
  }

  @Override
  // Elements are null for null arguments. The interface says @Nullable Object[], but NullAway does
  // not read element nullness from wal-journal's class file, so the override stays unannotated.
  @SuppressWarnings("NullAway")
  public Object[] decodeArguments(Method m, String json) {
    Type[] types = m.getGenericParameterTypes();
    List<?> array;
    try {
      // Generic JSON values only (maps, lists, strings, BigDecimal, booleans); the Java types come
      // from the signature in the second step.
      array = jsonb.fromJson(json, List.class);
    } catch (RuntimeException e) {
      throw new JournalCodecException("arguments of " + m + " are not a JSON array: " + e, e);
    }
    if (array == null || array.size() != types.length) {
      throw new JournalCodecException(
          "arguments of " + m + " must be a JSON array of " + types.length + " elements");
    }
    Object[] out = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Object v = array.get(i);
      try {
        out[i] =
            v == null && !isPrimitive(types[i]) ? null : jsonb.fromJson(jsonb.toJson(v), types[i]);
      } catch (RuntimeException e) {
        throw new JournalCodecException(
            "argument " + i + " (" + types[i].getTypeName() + ") of " + m + ": " + e, e);
      }
    }
    return out;
  }

  @Override
  public @Nullable Object decodeResult(Method m, String encoded) {
    Type t = m.getGenericReturnType();
    if (t == void.class) {
      return null;
    }
    try {
      return jsonb.fromJson(encoded, t);
    } catch (RuntimeException e) {
      throw new JournalCodecException("result (" + t.getTypeName() + ") of " + m + ": " + e, e);
    }
  }

  @Override
  public @Nullable String encodeResult(Method m, @Nullable Object result) {
    Type t = m.getGenericReturnType();
    if (t == void.class) {
      return null;
    }
    if (result == null) {
      return "null";
    }
    try {
      return jsonb.toJson(result, t);
    } catch (RuntimeException e) {
      throw new JournalCodecException("result (" + t.getTypeName() + ") of " + m + ": " + e, e);
    }
  }

  private static boolean isPrimitive(Type t) {
    return t instanceof Class<?> c && c.isPrimitive();
  }

  /** Releases the {@link Jsonb}; failures to do so are not the caller's problem. */
  @Override
  public void close() {
    try {
      jsonb.close();
    } catch (Exception e) {
      // Closing a Jsonb only drops caches; nothing is lost if it fails.
    }
  }
}
