package dev.noriwal.journal;

/**
 * A record with the journal's key prefix that is not a valid journal record: the message names the
 * record (its position in the log where known, and its key), the offset within its value and what
 * is wrong, e.g. {@code "journal record at 000001:4096 (inv/1f0e...), value offset 0: unknown
 * version 2 (this reader knows 1)"}. The log itself is intact (its checksums held); the record was
 * written by something else or by a newer version.
 */
public final class JournalFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public JournalFormatException(String message) {
    super(message);
  }

  public JournalFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
