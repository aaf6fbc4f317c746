package dev.noriwal.journal;

/**
 * An {@link InvocationCodec} cannot encode or decode a value: the message names the parameter (or
 * the result), its declared type and, for nested values, the path to the offending part, e.g.
 * {@code "argument 1 (java.lang.Object) of transfer(java.lang.String,java.lang.Object): ..."}.
 */
public final class JournalCodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JournalCodecException(String message) {
    super(message);
  }

  public JournalCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
