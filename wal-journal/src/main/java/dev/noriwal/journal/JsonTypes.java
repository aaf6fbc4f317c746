package dev.noriwal.journal;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The declared types the {@code "json"} codec accepts: the contract that lets the agent's codec and
 * the JSON-B codec read each other's bytes. Only declared types are looked at (no data), so a
 * deployment can refuse a method before it is ever called.
 *
 * <table>
 *   <caption>Accepted declared types and their JSON form</caption>
 *   <tr><th>declared type</th><th>JSON</th></tr>
 *   <tr><td>{@code String}, {@code char}/{@code Character}</td><td>string</td></tr>
 *   <tr><td>{@code boolean}/{@code Boolean}</td><td>true / false</td></tr>
 *   <tr><td>{@code byte short int long float double} and boxes, {@code BigInteger},
 *       {@code BigDecimal}</td><td>number; NaN and infinities as the strings {@code "NaN"},
 *       {@code "Infinity"}, {@code "-Infinity"}</td></tr>
 *   <tr><td>enums</td><td>constant name</td></tr>
 *   <tr><td>{@code UUID}, {@code Instant}, {@code LocalDate}, {@code LocalTime},
 *       {@code LocalDateTime}, {@code OffsetDateTime}, {@code ZonedDateTime},
 *       {@code Duration}</td><td>ISO-8601 / canonical string</td></tr>
 *   <tr><td>arrays ({@code byte[]} too), {@code List<T>}, {@code Set<T>},
 *       {@code Collection<T>}</td><td>array</td></tr>
 *   <tr><td>{@code Map<String, V>}</td><td>object</td></tr>
 *   <tr><td>{@code Optional<T>}</td><td>the value, or null when empty</td></tr>
 *   <tr><td>records without type parameters</td><td>object of components by name</td></tr>
 * </table>
 *
 * <p>Anything else ({@code Object}, raw collections, interfaces, type variables, plain classes) is
 * refused: the data never names a class, so there would be nothing to decode it into. Stateless.
 */
public final class JsonTypes {
  private static final Set<Class<?>> SCALARS =
      Set.of(
          String.class,
          Character.class,
          Boolean.class,
          Byte.class,
          Short.class,
          Integer.class,
          Long.class,
          Float.class,
          Double.class,
          BigDecimal.class,
          BigInteger.class,
          UUID.class,
          Instant.class,
          LocalDate.class,
          LocalTime.class,
          LocalDateTime.class,
          OffsetDateTime.class,
          ZonedDateTime.class,
          Duration.class);

  private static final Set<Class<?>> COLLECTIONS = Set.of(List.class, Set.class, Collection.class);

  private JsonTypes() {}

  /** Why values of {@code type} (a declared parameter or return type) cannot be encoded, if so. */
  public static Optional<String> unsupportedReason(Type type) {
    return Optional.ofNullable(check(type, new HashSet<>()));
  }

  /**
   * Throws when a parameter type of {@code m} is not accepted.
   *
   * @throws JournalCodecException naming the parameter, its type and why
   */
  public static void requireSupportedParameters(Method m) {
    Type[] params = m.getGenericParameterTypes();
    for (int i = 0; i < params.length; i++) {
      String why = check(params[i], new HashSet<>());
      if (why != null) {
        throw new JournalCodecException(
            "argument "
                + i
                + " ("
                + params[i].getTypeName()
                + ") of "
                + Journal.signature(m)
                + ": "
                + why);
      }
    }
  }

  /**
   * Throws when the return type of {@code m} is not accepted ({@code void} is: it has no value).
   *
   * @throws JournalCodecException naming the return type and why
   */
  public static void requireSupportedResult(Method m) {
    Type r = m.getGenericReturnType();
    String why = r == void.class ? null : check(r, new HashSet<>());
    if (why != null) {
      throw new JournalCodecException(
          "result (" + r.getTypeName() + ") of " + Journal.signature(m) + ": " + why);
    }
  }

  private static @Nullable String check(Type t, Set<Type> visiting) {
    if (t instanceof WildcardType w) {
      if (w.getLowerBounds().length > 0) {
        return "wildcard with a lower bound (" + w.getTypeName() + ") is not supported";
      }
      return check(w.getUpperBounds()[0], visiting);
    }
    if (t instanceof TypeVariable<?> v) {
      return "type variable " + v.getName() + " gives no concrete type";
    }
    if (t instanceof GenericArrayType g) {
      return check(g.getGenericComponentType(), visiting);
    }
    if (t instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (COLLECTIONS.contains(raw) || raw == Optional.class) {
        return check(args[0], visiting);
      }
      if (raw == Map.class) {
        Type key = args[0] instanceof WildcardType w ? w.getUpperBounds()[0] : args[0];
        if (key != String.class) {
          return "map keys must be String, not " + args[0].getTypeName();
        }
        return check(args[1], visiting);
      }
      if (raw.isRecord()) {
        return genericRecord(raw);
      }
      return "type " + t.getTypeName() + " is not supported";
    }
    if (!(t instanceof Class<?> c)) {
      return "type " + t.getTypeName() + " is not supported";
    }
    if (c == void.class || c == Void.class) {
      return "void has no value";
    }
    if (c.isPrimitive() || SCALARS.contains(c) || c.isEnum()) {
      return null;
    }
    if (c.isArray()) {
      return check(c.getComponentType(), visiting);
    }
    if (COLLECTIONS.contains(c) || c == Map.class || c == Optional.class) {
      return "raw type " + c.getName() + " gives no element type; declare its type argument";
    }
    if (c.isRecord()) {
      return c.getTypeParameters().length > 0 ? genericRecord(c) : checkRecord(c, visiting);
    }
    return "type "
        + c.getName()
        + " is not supported (no Java serialization, no class names in"
        + " the data: use a record, a collection, an enum or a scalar)";
  }

  // Yasson (JSON-B 3.0) cannot resolve a record component's type variable from the declared type
  // arguments ("Error resolving runtime type for type: T"), so the contract leaves them out.
  private static String genericRecord(Class<?> raw) {
    return "generic record "
        + raw.getName()
        + " is not supported (JSON-B cannot bind its type variables); use a record without"
        + " type parameters";
  }

  private static @Nullable String checkRecord(Class<?> raw, Set<Type> visiting) {
    if (!visiting.add(raw)) {
      return null; // a recursive record: checked once
    }
    for (RecordComponent rc : raw.getRecordComponents()) {
      String reason = check(rc.getGenericType(), visiting);
      if (reason != null) {
        return "record component " + raw.getName() + "." + rc.getName() + ": " + reason;
      }
    }
    return null;
  }
}
