package soko.acquisition.oci;

import java.util.OptionalInt;

/**
 * The registry answered in a way the distribution spec does not allow, or with an unexpected
 * status. Retry-worthy for server errors (5xx) and 429 only.
 */
public final class OciProtocolException extends OciException {
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

  /** The HTTP status that was unexpected, when the problem was a status. */
  public OptionalInt status() {
    return status;
  }

  @Override
  public boolean retryable() {
    return status.isPresent() && (status.getAsInt() >= 500 || status.getAsInt() == 429);
  }
}
