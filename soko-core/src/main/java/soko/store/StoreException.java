package soko.store;

/** The store could not do what was asked. Each subtype's message says how to fix it. */
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
