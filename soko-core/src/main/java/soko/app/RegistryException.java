package soko.app;

/**
 * An OCI registry refused or failed a pull or push: authentication, protocol, transport, or bytes
 * that did not match their digest (then the cause is an {@code OciIntegrityException}).
 */
public final class RegistryException extends AppException {
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
