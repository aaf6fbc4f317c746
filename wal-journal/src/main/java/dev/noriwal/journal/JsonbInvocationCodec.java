package dev.noriwal.journal;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The JSON codecs of a Jakarta EE runtime, bound with JSON-B ({@code jakarta.json.bind}): the
 * arguments are one UTF-8 JSON array with one element per parameter, the result one JSON value,
 * each bound with the declared generic type.
 *
 * <ul>
 *   <li>{@link #json()} (id {@code "json"}): the portable codec, limited to the declared types of
 *       {@link JsonTypes}, which the agent's codec writes and reads in the same JSON; a journal
 *       written by either is read by the other. A method with another parameter type is refused
 *       ({@link JsonTypes#requireSupportedParameters}, checked at deployment by wal-cdi).
 *   <li>{@link #jsonb()} (id {@code "jsonb"}): anything JSON-B binds (classes with accessors too),
 *       polymorphism only through JSON-B's explicit {@code @JsonbTypeInfo} aliases, never through
 *       class names in the data. Readable only where JSON-B and the classes are.
 * </ul>
 *
 * <p>Null values are written as {@code null} (record components and map values included), so
 * nothing is lost to JSON-B's default of leaving them out. Thread-safe: one {@link Jsonb} is
 * shared, as JSON-B allows. Close it to release the {@link Jsonb}.
 */
public final class JsonbInvocationCodec implements InvocationCodec, AutoCloseable {

  /** The id of the portable codec. */
  public static final String JSON = "json";

  /** The id of the codec that binds anything JSON-B binds. */
  public static final String JSONB = "jsonb";

  private final String id;
  private final boolean portable;
  private final Jsonb jsonb;

  private JsonbInvocationCodec(String id, Jsonb jsonb) {
    this.id = id;
    this.portable = id.equals(JSON);
    this.jsonb = jsonb;
  }

  /**
   * The portable {@code "json"} codec over a new {@link Jsonb}.
   *
   * @throws jakarta.json.bind.JsonbException if no JSON-B implementation is present
   */
  public static JsonbInvocationCodec json() {
    return new JsonbInvocationCodec(JSON, create());
  }

  /**
   * The {@code "jsonb"} codec over a new {@link Jsonb}.
   *
   * @throws jakarta.json.bind.JsonbException if no JSON-B implementation is present
   */
  public static JsonbInvocationCodec jsonb() {
    return new JsonbInvocationCodec(JSONB, create());
  }

  private static Jsonb create() {
    return JsonbBuilder.create(
        new JsonbConfig()
            .withNullValues(true)
            .withSerializers(new SpecialDoubles.DoubleWriter(), new SpecialDoubles.FloatWriter())
            .withDeserializers(
                new SpecialDoubles.DoubleReader(), new SpecialDoubles.FloatReader()));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public byte[] encodeArguments(Method m, @Nullable Object[] args) {
    if (portable) {
      JsonTypes.requireSupportedParameters(m);
    }
    Type[] types = m.getGenericParameterTypes();
    @Nullable Object[] a = args == null ? new Object[0] : args;
    if (a.length != types.length) {
      throw new JournalCodecException(
          Journal.signature(m) + " takes " + types.length + " arguments, got " + a.length);
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < a.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      try {
        sb.append(a[i] == null ? "null" : jsonb.toJson(a[i], boxed(types[i])));
      } catch (RuntimeException e) {
        throw new JournalCodecException(argument(m, i, types[i]) + e, e);
      }
    }
    return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public @Nullable Object[] decodeArguments(Method m, byte[] encoded) {
    if (portable) {
      JsonTypes.requireSupportedParameters(m);
    }
    Type[] types = m.getGenericParameterTypes();
    List<?> array;
    try {
      // Generic JSON values first (maps, lists, strings, BigDecimal, booleans): the Java types come
      // from the signature in the second step, one element at a time.
      array = jsonb.fromJson(new String(encoded, StandardCharsets.UTF_8), List.class);
    } catch (RuntimeException e) {
      throw new JournalCodecException(
          "arguments of " + Journal.signature(m) + " are not a JSON array: " + e, e);
    }
    if (array == null || array.size() != types.length) {
      throw new JournalCodecException(
          "arguments of "
              + Journal.signature(m)
              + " must be a JSON array of "
              + types.length
              + " elements, not "
              + (array == null ? "null" : array.size()));
    }
    @Nullable Object[] out = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      try {
        out[i] = bind(array.get(i), types[i]);
      } catch (RuntimeException e) {
        throw new JournalCodecException(argument(m, i, types[i]) + e, e);
      }
    }
    return out;
  }

  @Override
  public byte @Nullable [] encodeResult(Method m, @Nullable Object result) {
    Type t = m.getGenericReturnType();
    if (t == void.class) {
      return null;
    }
    if (portable) {
      JsonTypes.requireSupportedResult(m);
    }
    try {
      String text = result == null ? "null" : jsonb.toJson(result, boxed(t));
      return text.getBytes(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      throw new JournalCodecException(result(m, t) + e, e);
    }
  }

  @Override
  public @Nullable Object decodeResult(Method m, byte[] encoded) {
    Type t = m.getGenericReturnType();
    if (t == void.class) {
      return null;
    }
    if (portable) {
      JsonTypes.requireSupportedResult(m);
    }
    try {
      Object generic = jsonb.fromJson(new String(encoded, StandardCharsets.UTF_8), Object.class);
      return bind(generic, t);
    } catch (RuntimeException e) {
      throw new JournalCodecException(result(m, t) + e, e);
    }
  }

  private @Nullable Object bind(@Nullable Object generic, Type t) {
    if (generic == null) {
      if (t instanceof Class<?> c && c.isPrimitive()) {
        throw new IllegalArgumentException("null for primitive " + c.getName());
      }
      return rawClass(t) == Optional.class ? Optional.empty() : null;
    }
    return jsonb.fromJson(jsonb.toJson(generic), boxed(t));
  }

  /** Primitive types as their boxes, so the NaN-aware (de)serializers for Double/Float apply. */
  private static Type boxed(Type t) {
    if (t == double.class) {
      return Double.class;
    }
    return t == float.class ? Float.class : t;
  }

  private static @Nullable Class<?> rawClass(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    return t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c ? c : null;
  }

  private static String argument(Method m, int i, Type t) {
    return "argument " + i + " (" + t.getTypeName() + ") of " + Journal.signature(m) + ": ";
  }

  private static String result(Method m, Type t) {
    return "result (" + t.getTypeName() + ") of " + Journal.signature(m) + ": ";
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
