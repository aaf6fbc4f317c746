package dev.noriwal.agent;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonParser;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import dev.noriwal.journal.JsonArrayCodec;
import dev.noriwal.journal.JsonTypes;
import dev.noriwal.journal.JsonbInvocationCodec;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
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
final class GsonInvocationCodec extends JsonArrayCodec {
  static final GsonInvocationCodec INSTANCE = new GsonInvocationCodec();

  private final Gson gson;

  private GsonInvocationCodec() {
    super(JsonbInvocationCodec.JSON, true);
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
  protected String write(Object value, Type type) {
    return gson.toJson(value, type);
  }

  @Override
  protected JsonElement parse(String json) {
    return JsonParser.parseString(json);
  }

  @Override
  protected @Nullable List<?> elements(@Nullable Object tree) {
    return tree instanceof JsonArray array ? array.asList() : null;
  }

  @Override
  protected boolean isNull(@Nullable Object tree) {
    return tree == null || tree instanceof JsonNull;
  }

  @Override
  protected @Nullable Object read(Object tree, Type type) {
    return gson.fromJson((JsonElement) tree, TypeToken.get(type));
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
