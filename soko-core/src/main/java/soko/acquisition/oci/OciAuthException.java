package soko.acquisition.oci;

/** The registry refused our credentials, or we would not send them (plain http, unknown auth scheme). */
public final class OciAuthException extends OciException {
  OciAuthException(String message, Throwable cause) {
    super(message, cause);
  }

  OciAuthException(String message) {
    super(message);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
