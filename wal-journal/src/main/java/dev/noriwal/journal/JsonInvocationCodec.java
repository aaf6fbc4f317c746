package dev.noriwal.journal;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The built-in codec (id {@code "json"}): arguments become one JSON array, with no library needed.
 *
 * <p>Every Java type is taken from the method signature, recursively (element types of collections,
 * component types of records), and the JSON holds only values, never class names.
 *
 * <table>
 *   <caption>Supported declared types and their JSON form</caption>
 *   <tr><th>declared type</th><th>JSON</th></tr>
 *   <tr><td>{@code String}, {@code char}/{@code Character}</td><td>string</td></tr>
 *   <tr><td>{@code boolean}/{@code Boolean}</td><td>true / false</td></tr>
 *   <tr><td>{@code byte short int long} and boxes, {@code BigInteger}, {@code BigDecimal}</td>
 *       <td>number (exact)</td></tr>
 *   <tr><td>{@code float double} and boxes</td><td>number; NaN, Infinity, -Infinity and -0.0
 *       as strings</td></tr>
 *   <tr><td>enums</td><td>constant name</td></tr>
 *   <tr><td>{@code UUID}, {@code Instant}, {@code LocalDate}</td><td>ISO-8601 / canonical string
 *       </td></tr>
 *   <tr><td>{@code byte[]}</td><td>base64 string</td></tr>
 *   <tr><td>other arrays, {@code List<T>}, {@code Set<T>}, {@code Collection<T>}</td>
 *       <td>array (decoded as {@code ArrayList} / {@code LinkedHashSet})</td></tr>
 *   <tr><td>{@code Map<String, V>}</td><td>object (decoded as {@code LinkedHashMap})</td></tr>
 *   <tr><td>{@code Optional<T>}</td><td>the value, or null when empty</td></tr>
 *   <tr><td>records</td><td>object of components by name (unknown members are ignored on
 *       decoding; missing ones decode as null, which fails for primitives)</td></tr>
 * </table>
 *
 * <p>Anything else ({@code Object}, raw collections, interfaces, type variables, plain classes) is
 * refused with a {@link JournalCodecException}; {@link #canEncode(Type)} checks a signature up
 * front. Thread-safe and stateless.
 */
public final class JsonInvocationCodec implements InvocationCodec {

  /** The codec id stored in journal records. */
  public static final String ID = "json";

  private static final JsonInvocationCodec INSTANCE = new JsonInvocationCodec();

  public JsonInvocationCodec() {}

  /** The shared instance. */
  public static JsonInvocationCodec instance() {
    return INSTANCE;
  }

  @Override
  public String id() {
    return ID;
  }

  /** Whether values of {@code type} (a declared parameter or return type) can be encoded. */
  public static boolean canEncode(Type type) {
    return unsupportedReason(type) == null;
  }

  /** Why {@code type} cannot be encoded, or {@code null} if it can. */
  public static @Nullable String unsupportedReason(Type type) {
    return check(type, new HashSet<>());
  }

  @Override
  public String encodeArguments(Method m, Object[] args) {
    Type[] types = m.getGenericParameterTypes();
    Object[] a = args == null ? new Object[0] : args;
    if (a.length != types.length) {
      throw new JournalCodecException(
          Journal.signature(m) + " takes " + types.length + " arguments, got " + a.length);
    }
    List<Object> tree = new ArrayList<>(a.length);
    for (int i = 0; i < a.length; i++) {
      try {
        requireEncodable(types[i]);
        tree.add(toTree(a[i], types[i], ""));
      } catch (Problem p) {
        throw new JournalCodecException(
            "argument "
                + i
                + " ("
                + types[i].getTypeName()
                + ") of "
                + Journal.signature(m)
                + p.where()
                + ": "
                + p.getMessage());
      }
    }
    return Json.write(tree);
  }

  @Override
  public @Nullable Object[] decodeArguments(Method m, String json) {
    Type[] types = m.getGenericParameterTypes();
    Object tree;
    try {
      tree = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new JournalCodecException(
          "arguments of " + Journal.signature(m) + " are not valid JSON: " + e.getMessage(), e);
    }
    if (!(tree instanceof List<?> list) || list.size() != types.length) {
      throw new JournalCodecException(
          "arguments of "
              + Journal.signature(m)
              + " must be a JSON array of "
              + types.length
              + " elements: "
              + abbreviate(json));
    }
    @Nullable Object[] out = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      try {
        requireEncodable(types[i]);
        out[i] = fromTree(list.get(i), types[i], "");
      } catch (Problem p) {
        throw new JournalCodecException(
            "argument "
                + i
                + " ("
                + types[i].getTypeName()
                + ") of "
                + Journal.signature(m)
                + p.where()
                + ": "
                + p.getMessage());
      }
    }
    return out;
  }

  @Override
  public @Nullable String encodeResult(Method m, @Nullable Object result) {
    Type t = m.getGenericReturnType();
    if (t == void.class) {
      return null;
    }
    try {
      requireEncodable(t);
      return Json.write(toTree(result, t, ""));
    } catch (Problem p) {
      throw new JournalCodecException(
          "result ("
              + t.getTypeName()
              + ") of "
              + Journal.signature(m)
              + p.where()
              + ": "
              + p.getMessage());
    }
  }

  @Override
  public @Nullable Object decodeResult(Method m, String json) {
    Type t = m.getGenericReturnType();
    if (json == null || t == void.class) {
      return null;
    }
    try {
      requireEncodable(t);
      return fromTree(Json.parse(json), t, "");
    } catch (IllegalArgumentException e) {
      throw new JournalCodecException(
          "result of " + Journal.signature(m) + " is not valid JSON: " + e.getMessage(), e);
    } catch (Problem p) {
      throw new JournalCodecException(
          "result ("
              + t.getTypeName()
              + ") of "
              + Journal.signature(m)
              + p.where()
              + ": "
              + p.getMessage());
    }
  }

  // ---- type checks (no data involved) ----

  private static void requireEncodable(Type t) {
    String reason = unsupportedReason(t);
    if (reason != null) {
      throw new Problem(reason);
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
      if (isCollection(raw) || raw == Optional.class) {
        return check(args[0], visiting);
      }
      if (raw == Map.class) {
        if (resolveWildcard(args[0]) != String.class) {
          return "map keys must be String, not " + args[0].getTypeName();
        }
        return check(args[1], visiting);
      }
      if (raw.isRecord()) {
        return checkRecord(p, raw, visiting);
      }
      return "type " + t.getTypeName() + " is not supported";
    }
    if (!(t instanceof Class<?> c)) {
      return "type " + t.getTypeName() + " is not supported";
    }
    if (c == void.class || c == Void.class) {
      return "void has no value";
    }
    if (isScalar(c)) {
      return null;
    }
    if (c.isArray()) {
      return check(c.getComponentType(), visiting);
    }
    if (isCollection(c) || c == Map.class || c == Optional.class) {
      return "raw type " + c.getName() + " gives no element type; declare its type argument";
    }
    if (c.isRecord()) {
      return checkRecord(c, c, visiting);
    }
    return "type "
        + c.getName()
        + " is not supported (no Java serialization, no class names in"
        + " the data: use a record, a collection, an enum or a scalar)";
  }

  private static @Nullable String checkRecord(Type t, Class<?> raw, Set<Type> visiting) {
    if (!visiting.add(t)) {
      return null; // recursive record: checked once
    }
    for (RecordComponent rc : raw.getRecordComponents()) {
      Type ct = resolve(rc.getGenericType(), bindings(t, raw));
      String reason = check(ct, visiting);
      if (reason != null) {
        return "record component " + raw.getName() + "." + rc.getName() + ": " + reason;
      }
    }
    return null;
  }

  private static boolean isScalar(Class<?> c) {
    return c.isPrimitive()
        || c == String.class
        || c == Character.class
        || c == Boolean.class
        || c == Byte.class
        || c == Short.class
        || c == Integer.class
        || c == Long.class
        || c == Float.class
        || c == Double.class
        || c == BigDecimal.class
        || c == BigInteger.class
        || c.isEnum()
        || c == UUID.class
        || c == Instant.class
        || c == LocalDate.class;
  }

  private static boolean isCollection(Class<?> c) {
    return c == List.class || c == Set.class || c == Collection.class;
  }

  // ---- encoding ----

  private static @Nullable Object toTree(@Nullable Object v, Type t, String path) {
    t = resolveWildcard(t);
    Class<?> c = rawClass(t);
    if (v == null) {
      if (c.isPrimitive()) {
        throw new Problem(path, "null for primitive " + c.getName());
      }
      return null;
    }
    Class<?> boxed = box(c);
    if (c == Optional.class) {
      Optional<?> o = cast(v, Optional.class, path);
      return o.isPresent() ? toTree(o.get(), typeArg(t, 0), path) : null;
    }
    if (isScalar(c)) {
      cast(v, boxed, path);
      return scalarToTree(v, boxed);
    }
    if (c == byte[].class) {
      return Base64.getEncoder().encodeToString(cast(v, byte[].class, path));
    }
    if (c.isArray()) {
      cast(v, c, path);
      Type ct =
          t instanceof GenericArrayType g ? g.getGenericComponentType() : c.getComponentType();
      int n = Array.getLength(v);
      List<Object> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(toTree(Array.get(v, i), ct, path + "[" + i + "]"));
      }
      return out;
    }
    if (isCollection(c)) {
      Collection<?> col = cast(v, Collection.class, path);
      Type et = typeArg(t, 0);
      List<Object> out = new ArrayList<>(col.size());
      int i = 0;
      for (Object e : col) {
        out.add(toTree(e, et, path + "[" + i++ + "]"));
      }
      return out;
    }
    if (c == Map.class) {
      Map<?, ?> map = cast(v, Map.class, path);
      Type vt = typeArg(t, 1);
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new Problem(path, "map key is not a String: " + e.getKey());
        }
        out.put(k, toTree(e.getValue(), vt, path + "." + k));
      }
      return out;
    }
    if (c.isRecord()) {
      cast(v, c, path);
      Map<TypeVariable<?>, Type> b = bindings(t, c);
      Map<String, Object> out = new LinkedHashMap<>();
      for (RecordComponent rc : c.getRecordComponents()) {
        Object cv;
        try {
          Method acc = rc.getAccessor();
          acc.trySetAccessible();
          cv = acc.invoke(v);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
          throw new Problem(path + "." + rc.getName(), "cannot read record component: " + e);
        }
        out.put(
            rc.getName(), toTree(cv, resolve(rc.getGenericType(), b), path + "." + rc.getName()));
      }
      return out;
    }
    throw new Problem(path, "type " + t.getTypeName() + " is not supported");
  }

  private static Object scalarToTree(Object v, Class<?> boxed) {
    if (boxed == String.class) {
      return v;
    }
    if (boxed == Character.class) {
      return String.valueOf((char) (Character) v);
    }
    if (boxed == Boolean.class) {
      return v;
    }
    if (boxed == Byte.class
        || boxed == Short.class
        || boxed == Integer.class
        || boxed == Long.class) {
      return BigDecimal.valueOf(((Number) v).longValue());
    }
    if (boxed == Float.class || boxed == Double.class) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d)) {
        return "NaN";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? "Infinity" : "-Infinity";
      }
      if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
        return "-0.0";
      }
      return new BigDecimal(boxed == Float.class ? Float.toString((Float) v) : Double.toString(d));
    }
    if (boxed == BigDecimal.class) {
      return v;
    }
    if (boxed == BigInteger.class) {
      return new BigDecimal((BigInteger) v);
    }
    if (v instanceof Enum<?> e) {
      return e.name();
    }
    return v.toString(); // UUID, Instant, LocalDate: canonical ISO text
  }

  // ---- decoding ----

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static @Nullable Object fromTree(@Nullable Object node, Type t, String path) {
    t = resolveWildcard(t);
    Class<?> c = rawClass(t);
    if (c == Optional.class) {
      return Optional.ofNullable(fromTree(node, typeArg(t, 0), path));
    }
    if (node == null) {
      if (c.isPrimitive()) {
        throw new Problem(path, "null (or missing) for primitive " + c.getName());
      }
      return null;
    }
    Class<?> boxed = box(c);
    try {
      if (boxed == String.class) {
        return node(node, String.class, path);
      }
      if (boxed == Character.class) {
        String s = node(node, String.class, path);
        if (s.length() != 1) {
          throw new Problem(path, "a char must be a one-character string: \"" + s + "\"");
        }
        return s.charAt(0);
      }
      if (boxed == Boolean.class) {
        return node(node, Boolean.class, path);
      }
      if (boxed == Byte.class) {
        return node(node, BigDecimal.class, path).byteValueExact();
      }
      if (boxed == Short.class) {
        return node(node, BigDecimal.class, path).shortValueExact();
      }
      if (boxed == Integer.class) {
        return node(node, BigDecimal.class, path).intValueExact();
      }
      if (boxed == Long.class) {
        return node(node, BigDecimal.class, path).longValueExact();
      }
      if (boxed == Double.class || boxed == Float.class) {
        double d =
            node instanceof String s
                ? parseSpecial(s, path)
                : node(node, BigDecimal.class, path).doubleValue();
        return boxed == Float.class ? (Object) (float) d : (Object) d;
      }
      if (boxed == BigDecimal.class) {
        return node(node, BigDecimal.class, path);
      }
      if (boxed == BigInteger.class) {
        return node(node, BigDecimal.class, path).toBigIntegerExact();
      }
      if (c.isEnum()) {
        return Enum.valueOf((Class) c, node(node, String.class, path));
      }
      if (c == UUID.class) {
        return UUID.fromString(node(node, String.class, path));
      }
      if (c == Instant.class) {
        return Instant.parse(node(node, String.class, path));
      }
      if (c == LocalDate.class) {
        return LocalDate.parse(node(node, String.class, path));
      }
    } catch (ArithmeticException e) {
      throw new Problem(path, "number " + node + " does not fit " + c.getName());
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new Problem(
          path, "\"" + node + "\" is not a valid " + c.getName() + ": " + e.getMessage());
    }
    if (c == byte[].class) {
      try {
        return Base64.getDecoder().decode(node(node, String.class, path));
      } catch (IllegalArgumentException e) {
        throw new Problem(path, "not valid base64: " + e.getMessage());
      }
    }
    if (c.isArray()) {
      List<?> list = node(node, List.class, path);
      Type ct =
          t instanceof GenericArrayType g ? g.getGenericComponentType() : c.getComponentType();
      Object arr = Array.newInstance(c.getComponentType(), list.size());
      for (int i = 0; i < list.size(); i++) {
        Array.set(arr, i, fromTree(list.get(i), ct, path + "[" + i + "]"));
      }
      return arr;
    }
    if (isCollection(c)) {
      List<?> list = node(node, List.class, path);
      Type et = typeArg(t, 0);
      Collection<Object> out = c == Set.class ? new LinkedHashSet<>() : new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        out.add(fromTree(list.get(i), et, path + "[" + i + "]"));
      }
      return out;
    }
    if (c == Map.class) {
      Map<?, ?> map = node(node, Map.class, path);
      Type vt = typeArg(t, 1);
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String k = (String) e.getKey();
        out.put(k, fromTree(e.getValue(), vt, path + "." + k));
      }
      return out;
    }
    if (c.isRecord()) {
      Map<?, ?> map = node(node, Map.class, path);
      RecordComponent[] rcs = c.getRecordComponents();
      Map<TypeVariable<?>, Type> b = bindings(t, c);
      Class<?>[] types = new Class<?>[rcs.length];
      @Nullable Object[] values = new Object[rcs.length];
      for (int i = 0; i < rcs.length; i++) {
        types[i] = rcs[i].getType();
        values[i] =
            fromTree(
                map.get(rcs[i].getName()),
                resolve(rcs[i].getGenericType(), b),
                path + "." + rcs[i].getName());
      }
      try {
        Constructor<?> ctor = c.getDeclaredConstructor(types);
        ctor.trySetAccessible();
        return ctor.newInstance(values);
      } catch (InvocationTargetException e) {
        throw new Problem(
            path, "record constructor of " + c.getName() + " refused the values: " + e.getCause());
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new Problem(path, "cannot construct record " + c.getName() + ": " + e);
      }
    }
    throw new Problem(path, "type " + t.getTypeName() + " is not supported");
  }

  private static double parseSpecial(String s, String path) {
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "Infinity" -> Double.POSITIVE_INFINITY;
      case "-Infinity" -> Double.NEGATIVE_INFINITY;
      case "-0.0" -> -0.0;
      default -> throw new Problem(path, "\"" + s + "\" is not a number");
    };
  }

  // ---- reflection helpers ----

  private static Type resolveWildcard(Type t) {
    return t instanceof WildcardType w ? w.getUpperBounds()[0] : t;
  }

  private static Class<?> rawClass(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (t instanceof GenericArrayType g) {
      return Array.newInstance(rawClass(g.getGenericComponentType()), 0).getClass();
    }
    throw new Problem("", "type " + t.getTypeName() + " is not supported");
  }

  private static Type typeArg(Type t, int i) {
    if (t instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[i];
    }
    throw new Problem("", "raw type " + t.getTypeName() + " gives no element type");
  }

  private static Map<TypeVariable<?>, Type> bindings(Type t, Class<?> raw) {
    if (!(t instanceof ParameterizedType p)) {
      return Map.of();
    }
    Map<TypeVariable<?>, Type> b = new HashMap<>();
    TypeVariable<?>[] vars = raw.getTypeParameters();
    Type[] args = p.getActualTypeArguments();
    for (int i = 0; i < vars.length; i++) {
      b.put(vars[i], args[i]);
    }
    return b;
  }

  /** Substitutes type variables of a generic record with the arguments of its use site. */
  private static Type resolve(Type t, Map<TypeVariable<?>, Type> b) {
    if (b.isEmpty()) {
      return t;
    }
    if (t instanceof TypeVariable<?> v) {
      return b.getOrDefault(v, v);
    }
    if (t instanceof ParameterizedType p) {
      Type[] args = p.getActualTypeArguments().clone();
      boolean changed = false;
      for (int i = 0; i < args.length; i++) {
        Type r = resolve(args[i], b);
        changed |= r != args[i];
        args[i] = r;
      }
      return changed ? new Parameterized((Class<?>) p.getRawType(), args, p.getOwnerType()) : p;
    }
    if (t instanceof GenericArrayType g) {
      Type r = resolve(g.getGenericComponentType(), b);
      if (r instanceof Class<?> rc) {
        return Array.newInstance(rc, 0).getClass();
      }
      return r == g.getGenericComponentType() ? g : (GenericArrayType) () -> r;
    }
    if (t instanceof WildcardType w && w.getLowerBounds().length == 0) {
      return resolve(w.getUpperBounds()[0], b);
    }
    return t;
  }

  @SuppressWarnings("ArrayRecordComponent") // never compared; getActualTypeArguments() copies
  private record Parameterized(Class<?> raw, Type[] args, Type owner) implements ParameterizedType {
    @Override
    public Type[] getActualTypeArguments() {
      return args.clone();
    }

    @Override
    public Type getRawType() {
      return raw;
    }

    @Override
    public Type getOwnerType() {
      return owner;
    }

    @Override
    public String getTypeName() {
      StringBuilder sb = new StringBuilder(raw.getTypeName()).append('<');
      for (int i = 0; i < args.length; i++) {
        sb.append(i == 0 ? "" : ",").append(args[i].getTypeName());
      }
      return sb.append('>').toString();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ParameterizedType p
          && raw.equals(p.getRawType())
          && java.util.Arrays.equals(args, p.getActualTypeArguments());
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(args) ^ raw.hashCode();
    }
  }

  private static Class<?> box(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    if (c == int.class) {
      return Integer.class;
    }
    if (c == long.class) {
      return Long.class;
    }
    if (c == boolean.class) {
      return Boolean.class;
    }
    if (c == double.class) {
      return Double.class;
    }
    if (c == float.class) {
      return Float.class;
    }
    if (c == char.class) {
      return Character.class;
    }
    if (c == byte.class) {
      return Byte.class;
    }
    return Short.class;
  }

  private static <T> T cast(Object v, Class<T> type, String path) {
    if (!type.isInstance(v)) {
      throw new Problem(
          path, "value of class " + v.getClass().getName() + " is not a " + type.getName());
    }
    return type.cast(v);
  }

  private static <T> T node(Object node, Class<T> type, String path) {
    if (!type.isInstance(node)) {
      throw new Problem(
          path, "expected a JSON " + jsonKind(type) + ", found " + abbreviate(Json.write(node)));
    }
    return type.cast(node);
  }

  private static String jsonKind(Class<?> type) {
    if (type == String.class) {
      return "string";
    }
    if (type == BigDecimal.class) {
      return "number";
    }
    if (type == Boolean.class) {
      return "boolean";
    }
    if (type == List.class) {
      return "array";
    }
    return "object";
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** Internal: a failure at a path inside one value; turned into a JournalCodecException. */
  private static final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String path;

    Problem(String reason) {
      this("", reason);
    }

    Problem(String path, String reason) {
      super(reason, null, false, false);
      this.path = path;
    }

    String where() {
      return path.isEmpty() ? "" : " at " + path;
    }
  }
}
