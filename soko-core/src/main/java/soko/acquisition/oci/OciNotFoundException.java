package soko.acquisition.oci;

/** The registry has no such repository, tag, manifest or blob. */
public final class OciNotFoundException extends OciException {
  OciNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }

  OciNotFoundException(String message) {
    super(message);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
