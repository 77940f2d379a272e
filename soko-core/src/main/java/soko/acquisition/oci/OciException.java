package soko.acquisition.oci;

/**
 * Talking to an OCI registry failed. The message is one line: what went wrong, with which
 * registry object, and what to do about it. The cause is always kept. Immutable once thrown.
 */
public sealed abstract class OciException extends soko.SokoException
    permits OciAuthException, OciNotFoundException, OciIntegrityException, OciFormatException,
        OciRequestException {

  OciException(String message, Throwable cause) {
    super(message, cause);
  }

  OciException(String message) {
    super(message);
  }

  /**
   * Whether trying the same operation again later may succeed.
   *
   * @return true for failures that may pass (such as a 5xx or 429, or a network failure)
   */
  public abstract boolean retryable();

  /** {@link soko.Reason#NETWORK}, unless the registry refused the credentials, has no such artifact or sent other bytes. */
  @Override
  public final soko.Reason reason() {
    return switch (this) {
      case OciAuthException _ -> soko.Reason.REGISTRY_AUTH;
      case OciNotFoundException _ -> soko.Reason.NOT_FOUND;
      case OciIntegrityException _ -> soko.Reason.INTEGRITY;
      default -> soko.Reason.NETWORK;
    };
  }
}
