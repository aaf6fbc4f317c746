package dev.noriwal.journal;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What every JSON codec of the journal does the same way, whatever library binds the values: the
 * arguments are one UTF-8 JSON array with one element per parameter, the result one JSON value,
 * each bound with the declared generic type; JSON {@code null} is Java {@code null}, an empty
 * {@code Optional} for an {@code Optional} type, and refused for a primitive. A portable codec (id
 * {@code "json"}) first checks the declared types against {@link JsonTypes}. Errors name the
 * parameter or the result, its declared type and the method. Subclasses bind one value; they are
 * thread-safe when their library is.
 */
public abstract class JsonArrayCodec implements InvocationCodec {
  private final String id;
  private final boolean portable;

  /**
   * @param id the codec id stored with every invocation
   * @param portable whether the declared types must be those of {@link JsonTypes}
   */
  protected JsonArrayCodec(String id, boolean portable) {
    this.id = id;
    this.portable = portable;
  }

  /** One value as JSON text, bound with its declared type ({@code value} is never null). */
  protected abstract String write(Object value, Type type);

  /** The library's tree of a whole JSON text; fails on text that is not JSON. */
  protected abstract @Nullable Object parse(String json);

  /** The elements of a parsed JSON array, or {@code null} when {@code tree} is not an array. */
  protected abstract @Nullable List<?> elements(@Nullable Object tree);

  /** Whether a parsed value is JSON {@code null}. */
  protected abstract boolean isNull(@Nullable Object tree);

  /** A parsed value (never JSON null) bound to the declared type. */
  protected abstract @Nullable Object read(Object tree, Type type);

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final byte[] encodeArguments(Method m, @Nullable Object[] args) {
    Type[] types = parameterTypes(m);
    @Nullable Object[] a = args == null ? new Object[0] : args;
    if (a.length != types.length) {
      throw new JournalCodecException(
          Journal.signature(m) + " takes " + types.length + " arguments, got " + a.length);
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < a.length; i++) {
      Object v = a[i];
      try {
        sb.append(i > 0 ? "," : "").append(v == null ? "null" : write(v, types[i]));
      } catch (RuntimeException e) {
        throw new JournalCodecException(argument(m, i, types[i]) + e, e);
      }
    }
    return utf8(sb.append(']').toString());
  }

  @Override
  // Elements are null for null arguments. The interface says @Nullable Object[], but NullAway does
  // not read element nullness back from a class file, so the override stays unannotated.
  @SuppressWarnings("NullAway")
  public final Object[] decodeArguments(Method m, byte[] encoded) {
    Type[] types = parameterTypes(m);
    List<?> array;
    try {
      array = elements(parse(new String(encoded, StandardCharsets.UTF_8)));
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
              + (array == null ? "another JSON value" : array.size()));
    }
    Object[] out = new Object[types.length];
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
  public final byte @Nullable [] encodeResult(Method m, @Nullable Object result) {
    Type t = m.getGenericReturnType();
    if (t == void.class) {
      return null;
    }
    try {
      checkResult(m);
      return utf8(result == null ? "null" : write(result, t));
    } catch (RuntimeException e) {
      throw resultProblem(m, t, e);
    }
  }

  @Override
  public final @Nullable Object decodeResult(Method m, byte[] encoded) {
    Type t = m.getGenericReturnType();
    if (t == void.class) {
      return null;
    }
    try {
      checkResult(m);
      return bind(parse(new String(encoded, StandardCharsets.UTF_8)), t);
    } catch (RuntimeException e) {
      throw resultProblem(m, t, e);
    }
  }

  private Type[] parameterTypes(Method m) {
    if (portable) {
      JsonTypes.requireSupportedParameters(m);
    }
    return m.getGenericParameterTypes();
  }

  private void checkResult(Method m) {
    if (portable) {
      JsonTypes.requireSupportedResult(m);
    }
  }

  private @Nullable Object bind(@Nullable Object tree, Type t) {
    if (tree == null || isNull(tree)) {
      if (t instanceof Class<?> c && c.isPrimitive()) {
        throw new IllegalArgumentException("null for primitive " + c.getName());
      }
      Type raw = t instanceof ParameterizedType p ? p.getRawType() : t;
      return raw == Optional.class ? Optional.empty() : null;
    }
    return read(tree, t);
  }

  private static JournalCodecException resultProblem(Method m, Type t, RuntimeException e) {
    return e instanceof JournalCodecException j
        ? j
        : new JournalCodecException(
            "result (" + t.getTypeName() + ") of " + Journal.signature(m) + ": " + e, e);
  }

  private static String argument(Method m, int i, Type t) {
    return "argument " + i + " (" + t.getTypeName() + ") of " + Journal.signature(m) + ": ";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
