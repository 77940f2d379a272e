package soko.acquisition.oci;

import java.util.OptionalInt;

/**
 * A request to the registry failed: the connection failed, timed out or broke off (retry-worthy),
 * or the registry answered in a way the distribution spec does not allow, or with an unexpected
 * status (retry-worthy for server errors (5xx) and 429 only).
 *
 * <p>One class for both because no caller handles them apart: both have the reason {@link
 * soko.Reason#NETWORK}, and the message says which it was and what to do.
 */
public final class OciRequestException extends OciException {
  /** The unexpected HTTP status, when the problem was a status. */
  private final OptionalInt status;
  /** Whether trying again may succeed. */
  private final boolean retryable;

  private OciRequestException(String message, OptionalInt status, boolean retryable, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.retryable = retryable;
  }

  private OciRequestException(String message, OptionalInt status, boolean retryable) {
    super(message);
    this.status = status;
    this.retryable = retryable;
  }

  /** The connection failed or timed out. */
  static OciRequestException transport(String message, Throwable cause) {
    return new OciRequestException(message, OptionalInt.empty(), true, cause);
  }

  /** The connection failed or timed out. */
  static OciRequestException transport(String message) {
    return new OciRequestException(message, OptionalInt.empty(), true);
  }

  /** The registry answered with an unexpected status. */
  static OciRequestException protocol(String message, int status) {
    return new OciRequestException(message, OptionalInt.of(status), status >= 500 || status == 429);
  }

  /** The registry's answer breaks the distribution spec. */
  static OciRequestException protocol(String message, Throwable cause) {
    return new OciRequestException(message, OptionalInt.empty(), false, cause);
  }

  /** The registry's answer breaks the distribution spec. */
  static OciRequestException protocol(String message) {
    return new OciRequestException(message, OptionalInt.empty(), false);
  }

  /**
   * The unexpected status.
   *
   * @return the HTTP status, or empty when the problem was not a status (a malformed answer or a
   *     failed connection)
   */
  public OptionalInt status() {
    return status;
  }

  @Override
  public boolean retryable() {
    return retryable;
  }
}
