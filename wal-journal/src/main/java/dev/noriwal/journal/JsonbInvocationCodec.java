package dev.noriwal.journal;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import java.lang.reflect.Type;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON codecs of a Jakarta EE runtime, bound with JSON-B ({@code jakarta.json.bind}), in the
 * layout of {@link JsonArrayCodec}.
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
public final class JsonbInvocationCodec extends JsonArrayCodec implements AutoCloseable {

  /** The id of the portable codec. */
  public static final String JSON = "json";

  /** The id of the codec that binds anything JSON-B binds. */
  public static final String JSONB = "jsonb";

  private final Jsonb jsonb;

  private JsonbInvocationCodec(String id, Jsonb jsonb) {
    super(id, id.equals(JSON));
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
  protected String write(Object value, Type type) {
    return jsonb.toJson(value, boxed(type));
  }

  @Override
  protected @Nullable Object parse(String json) {
    // Generic JSON values (maps, lists, strings, BigDecimal, booleans): the Java types come from
    // the signature in read(), one value at a time.
    return jsonb.fromJson(json, Object.class);
  }

  @Override
  protected @Nullable List<?> elements(@Nullable Object tree) {
    return tree instanceof List<?> list ? list : null;
  }

  @Override
  protected boolean isNull(@Nullable Object tree) {
    return tree == null;
  }

  @Override
  protected @Nullable Object read(Object tree, Type type) {
    return jsonb.fromJson(jsonb.toJson(tree), boxed(type));
  }

  /** Primitive types as their boxes, so the NaN-aware (de)serializers for Double/Float apply. */
  private static Type boxed(Type t) {
    if (t == double.class) {
      return Double.class;
    }
    return t == float.class ? Float.class : t;
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
