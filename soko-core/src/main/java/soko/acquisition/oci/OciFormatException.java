package soko.acquisition.oci;

/** The artifact is not a Soko-readable ModelPack model, or it is unsafe (a path climbing out of the model). */
public final class OciFormatException extends OciException {
  OciFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  OciFormatException(String message) {
    super(message);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
