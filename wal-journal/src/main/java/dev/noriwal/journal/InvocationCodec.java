package dev.noriwal.journal;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Turns a method's arguments and result into bytes for the journal, and back. The journal stores
 * the codec's {@link #id()} with every {@link Invocation}, so a reader decodes with the codec that
 * wrote; the bytes themselves are the codec's business (the JSON codecs write UTF-8 JSON).
 *
 * <p>Rules every implementation keeps: the Java types come from the method signature ({@link
 * Method#getGenericParameterTypes()}, {@link Method#getGenericReturnType()}), never from the data,
 * so a log file can never make the reader instantiate a class it names; Java serialization is never
 * used. Implementations are thread-safe.
 */
public interface InvocationCodec {

  /** Stored in every {@link Invocation} (e.g. {@code "json"}), so a reader picks the same codec. */
  String id();

  /**
   * Encodes {@code args}, one per parameter of {@code m}.
   *
   * @throws JournalCodecException naming the parameter index and type it cannot encode
   */
  byte[] encodeArguments(Method m, @Nullable Object[] args);

  /**
   * Decodes what {@link #encodeArguments} produced, using the parameter types of {@code m}.
   *
   * @throws JournalCodecException naming the parameter that does not fit its declared type
   */
  @Nullable Object[] decodeArguments(Method m, byte[] encoded);

  /**
   * Encodes a return value, or returns {@code null} when {@code m} returns {@code void}.
   *
   * @throws JournalCodecException naming the return type when it cannot be encoded
   */
  byte @Nullable [] encodeResult(Method m, @Nullable Object result);

  /**
   * Decodes what {@link #encodeResult} produced, using the return type of {@code m}; {@code null}
   * for a {@code void} method.
   *
   * @throws JournalCodecException naming the return type when the bytes do not fit it
   */
  @Nullable Object decodeResult(Method m, byte[] encoded);
}
