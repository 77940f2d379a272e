package soko.acquisition.oci;

import java.util.OptionalInt;

/**
 * The registry answered in a way the distribution spec does not allow, or with an unexpected
 * status. Retry-worthy for server errors (5xx) and 429 only.
 */
public final class OciProtocolException extends OciException {
  /** The unexpected HTTP status, when the problem was a status. */
  private final OptionalInt status;

  OciProtocolException(String message, int status) {
    super(message);
    this.status = OptionalInt.of(status);
  }

  OciProtocolException(String message, Throwable cause) {
    super(message, cause);
    this.status = OptionalInt.empty();
  }

  OciProtocolException(String message) {
    super(message);
    this.status = OptionalInt.empty();
  }

  /**
   * The unexpected status.
   *
   * @return the HTTP status, or empty when the problem was not a status (a malformed answer)
   */
  public OptionalInt status() {
    return status;
  }

  @Override
  public boolean retryable() {
    return status.isPresent() && (status.getAsInt() >= 500 || status.getAsInt() == 429);
  }
}
