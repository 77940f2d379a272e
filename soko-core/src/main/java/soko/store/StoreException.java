package soko.store;

/**
 * The store could not do what was asked. Each subtype's message says how to fix it. Only {@link
 * StoreLockedException} is worth retrying as is. Immutable once thrown.
 */
public sealed class StoreException extends Exception
    permits StoreConfigException, StoreLockedException, ModelNotInstalledException, ModelIntegrityException,
        StoreIOException {
  StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  StoreException(String message) {
    super(message);
  }
}
