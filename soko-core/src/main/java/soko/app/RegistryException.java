package soko.app;

/**
 * An OCI registry refused or failed a pull or push: authentication, protocol, transport, or bytes
 * that did not match their digest (then the cause is an {@code OciIntegrityException}).
 */
public final class RegistryException extends AppException {
  /**
   * The failure, with its cause.
   *
   * @param message one line: what went wrong and how to fix it
   * @param cause the registry client's failure
   */
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
