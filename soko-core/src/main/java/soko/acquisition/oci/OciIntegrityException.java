package soko.acquisition.oci;

/** Bytes from the registry did not match their digest or size: a manifest, the config or a layer. */
public final class OciIntegrityException extends OciException {
  OciIntegrityException(String message, Throwable cause) {
    super(message, cause);
  }

  OciIntegrityException(String message) {
    super(message);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
