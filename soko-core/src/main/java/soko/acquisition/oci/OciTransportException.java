package soko.acquisition.oci;

/** The connection failed or timed out; retry-worthy. */
public final class OciTransportException extends OciException {
  OciTransportException(String message, Throwable cause) {
    super(message, cause);
  }

  OciTransportException(String message) {
    super(message);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
