package dev.noriwal.agent;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import dev.noriwal.journal.InvocationCodec;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JournalCodecException;
import dev.noriwal.journal.JsonTypes;
import dev.noriwal.journal.JsonbInvocationCodec;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The agent's {@code "json"} codec, on Gson (shaded and relocated inside the agent jar): the same
 * JSON as the JSON-B codec of that id ({@link JsonbInvocationCodec#json()}) for every declared type
 * {@link JsonTypes} accepts, so a journal the agent writes is read where the CDI layer reads, and
 * the other way round. Gson is told what JSON-B does by default and Gson does not: {@code null}
 * values written, no HTML escaping, java.time types as ISO-8601 strings, {@code Optional} as its
 * value or null, NaN and the infinities as strings.
 *
 * <p>Thread-safe: one {@link Gson} is shared, as Gson allows.
 */
final class GsonInvocationCodec implements InvocationCodec {
  static final GsonInvocationCodec INSTANCE = new GsonInvocationCodec();

  private final Gson gson;

  private GsonInvocationCodec() {
    GsonBuilder b = new GsonBuilder().serializeNulls().disableHtmlEscaping();
    b.registerTypeAdapter(Double.class, new SpecialDouble(false));
    b.registerTypeAdapter(double.class, new SpecialDouble(false));
    b.registerTypeAdapter(Float.class, new SpecialDouble(true));
    b.registerTypeAdapter(float.class, new SpecialDouble(true));
    b.registerTypeAdapter(Instant.class, iso(DateTimeFormatter.ISO_INSTANT, Instant::parse));
    b.registerTypeAdapter(LocalDate.class, iso(DateTimeFormatter.ISO_LOCAL_DATE, LocalDate::parse));
    b.registerTypeAdapter(LocalTime.class, iso(DateTimeFormatter.ISO_LOCAL_TIME, LocalTime::parse));
    b.registerTypeAdapter(
        LocalDateTime.class, iso(DateTimeFormatter.ISO_LOCAL_DATE_TIME, LocalDateTime::parse));
    b.registerTypeAdapter(
        OffsetDateTime.class, iso(DateTimeFormatter.ISO_OFFSET_DATE_TIME, OffsetDateTime::parse));
    b.registerTypeAdapter(
        ZonedDateTime.class, iso(DateTimeFormatter.ISO_ZONED_DATE_TIME, ZonedDateTime::parse));
    b.registerTypeAdapter(Duration.class, text(Duration::toString, Duration::parse));
    b.registerTypeAdapterFactory(new OptionalAdapters());
    this.gson = b.create();
  }

  @Override
  public String id() {
    return JsonbInvocationCodec.JSON;
  }

  @Override
  public byte[] encodeArguments(Method m, @Nullable Object[] args) {
    JsonTypes.requireSupportedParameters(m);
    Type[] types = m.getGenericParameterTypes();
    @Nullable Object[] a = args == null ? new Object[0] : args;
    if (a.length != types.length) {
      throw new JournalCodecException(
          Journal.signature(m) + " takes " + types.length + " arguments, got " + a.length);
    }
    JsonArray array = new JsonArray(a.length);
    for (int i = 0; i < a.length; i++) {
      try {
        array.add(gson.toJsonTree(a[i], types[i]));
      } catch (RuntimeException e) {
        throw new JournalCodecException(argument(m, i, types[i]) + e, e);
      }
    }
    return gson.toJson(array).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  // Elements are null for null arguments. The interface says @Nullable Object[], but NullAway does
  // not read element nullness from wal-journal's class file, so the override stays unannotated.
  @SuppressWarnings("NullAway")
  public Object[] decodeArguments(Method m, byte[] encoded) {
    JsonTypes.requireSupportedParameters(m);
    Type[] types = m.getGenericParameterTypes();
    JsonElement tree;
    try {
      tree = JsonParser.parseString(new String(encoded, StandardCharsets.UTF_8));
    } catch (JsonParseException e) {
      throw new JournalCodecException(
          "arguments of " + Journal.signature(m) + " are not a JSON array: " + e, e);
    }
    if (!(tree instanceof JsonArray array) || array.size() != types.length) {
      throw new JournalCodecException(
          "arguments of "
              + Journal.signature(m)
              + " must be a JSON array of "
              + types.length
              + " elements, not "
              + (tree instanceof JsonArray array ? array.size() : tree.toString()));
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
    JsonTypes.requireSupportedResult(m);
    try {
      return gson.toJson(result, t).getBytes(StandardCharsets.UTF_8);
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
    JsonTypes.requireSupportedResult(m);
    try {
      return bind(JsonParser.parseString(new String(encoded, StandardCharsets.UTF_8)), t);
    } catch (RuntimeException e) {
      throw new JournalCodecException(result(m, t) + e, e);
    }
  }

  private @Nullable Object bind(JsonElement e, Type t) {
    if (e.isJsonNull() && t instanceof Class<?> c && c.isPrimitive()) {
      throw new IllegalArgumentException("null for primitive " + c.getName());
    }
    return gson.fromJson(e, TypeToken.get(t));
  }

  private static String argument(Method m, int i, Type t) {
    return "argument " + i + " (" + t.getTypeName() + ") of " + Journal.signature(m) + ": ";
  }

  private static String result(Method m, Type t) {
    return "result (" + t.getTypeName() + ") of " + Journal.signature(m) + ": ";
  }

  private static <T> TypeAdapter<T> iso(DateTimeFormatter format, Function<String, T> parse) {
    return text(v -> format.format((java.time.temporal.TemporalAccessor) v), parse);
  }

  private static <T> TypeAdapter<T> text(Function<T, String> print, Function<String, T> parse) {
    return new TypeAdapter<T>() {
      @Override
      public void write(JsonWriter out, @Nullable T value) throws IOException {
        if (value == null) {
          out.nullValue();
        } else {
          out.value(print.apply(value));
        }
      }

      @Override
      public @Nullable T read(JsonReader in) throws IOException {
        if (in.peek() == JsonToken.NULL) {
          in.nextNull();
          return null;
        }
        return parse.apply(in.nextString());
      }
    };
  }

  /** Doubles and floats as numbers; NaN and the infinities as strings, as the JSON-B codec does. */
  private static final class SpecialDouble extends TypeAdapter<Number> {
    private final boolean isFloat;

    SpecialDouble(boolean isFloat) {
      this.isFloat = isFloat;
    }

    @Override
    public void write(JsonWriter out, @Nullable Number value) throws IOException {
      if (value == null) {
        out.nullValue();
      } else if (Double.isNaN(value.doubleValue()) || Double.isInfinite(value.doubleValue())) {
        out.value(Double.toString(value.doubleValue()));
      } else if (isFloat) {
        out.value(new java.math.BigDecimal(Float.toString(value.floatValue())));
      } else {
        out.value(value.doubleValue());
      }
    }

    @Override
    public @Nullable Number read(JsonReader in) throws IOException {
      if (in.peek() == JsonToken.NULL) {
        in.nextNull();
        return null;
      }
      String text = in.nextString(); // a number's text, or "NaN" / "Infinity" / "-Infinity"
      return isFloat ? (Number) Float.parseFloat(text) : (Number) Double.parseDouble(text);
    }
  }

  /** {@code Optional<T>}: the value, or null when empty; null reads back as empty. */
  private static final class OptionalAdapters implements TypeAdapterFactory {
    @Override
    @SuppressWarnings("unchecked")
    public <T> @Nullable TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
      if (type.getRawType() != Optional.class) {
        return null;
      }
      Type element =
          type.getType() instanceof ParameterizedType p
              ? p.getActualTypeArguments()[0]
              : Object.class;
      if (element instanceof WildcardType w) {
        element = w.getUpperBounds()[0];
      }
      TypeAdapter<Object> inner = (TypeAdapter<Object>) gson.getAdapter(TypeToken.get(element));
      return (TypeAdapter<T>)
          new TypeAdapter<Optional<Object>>() {
            @Override
            @SuppressWarnings("NullableOptional") // Gson hands a null field value to the adapter
            public void write(JsonWriter out, @Nullable Optional<Object> value) throws IOException {
              if (value == null || value.isEmpty()) {
                out.nullValue();
              } else {
                inner.write(out, value.get());
              }
            }

            @Override
            public Optional<Object> read(JsonReader in) throws IOException {
              if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return Optional.empty();
              }
              return Optional.ofNullable(inner.read(in));
            }
          };
    }
  }
}
