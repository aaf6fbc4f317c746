package dev.noriwal.demo;

/**
 * A request the ledger refuses; nothing was changed. Carries the HTTP status and a stable error
 * code for the JSON error body, e.g. {@code 422 insufficient_funds}.
 */
public class LedgerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public LedgerException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  static LedgerException badRequest(String code, String message) {
    return new LedgerException(400, code, message);
  }

  static LedgerException unknownAccount(String account) {
    return new LedgerException(404, "unknown_account", "no account \"" + account + "\"");
  }
}
