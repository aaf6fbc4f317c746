package dev.noriwal.journal;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Turns a method's arguments and result into JSON text for the journal, and back.
 *
 * <p>Rules every implementation keeps: the Java types come from the method signature ({@link
 * Method#getGenericParameterTypes()}, {@link Method#getGenericReturnType()}), never from the data,
 * so a log file can never make the reader instantiate a class it names; Java serialization is never
 * used. Implementations are stateless and thread-safe.
 */
public interface InvocationCodec {

  /** Stored in every {@link Invocation} (e.g. {@code "json"}), so a reader picks the same codec. */
  String id();

  /**
   * Encodes {@code args} as a JSON array text with one element per parameter of {@code m}.
   *
   * @throws JournalCodecException naming the parameter index and type it cannot encode
   */
  String encodeArguments(Method m, Object[] args);

  /**
   * Decodes what {@link #encodeArguments} produced, using the parameter types of {@code m}.
   *
   * @throws JournalCodecException naming the parameter that does not fit its declared type
   */
  @Nullable Object[] decodeArguments(Method m, String json);

  /**
   * Encodes a return value as JSON text, or returns {@code null} when {@code m} returns {@code
   * void}.
   *
   * @throws JournalCodecException naming the return type when it cannot be encoded
   */
  @Nullable String encodeResult(Method m, @Nullable Object result);

  /**
   * Decodes what {@link #encodeResult} produced, using the return type of {@code m}; {@code null}
   * for a {@code void} method.
   *
   * @throws JournalCodecException naming the return type when the text does not fit it
   */
  @Nullable Object decodeResult(Method m, String encoded);
}
