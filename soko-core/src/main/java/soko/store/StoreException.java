package soko.store;

/**
 * The store could not do what was asked. Each subtype's message says how to fix it. Only {@link
 * StoreLockedException} is worth retrying as is. Immutable once thrown.
 */
public sealed class StoreException extends soko.SokoException
    permits StoreConfigException, StoreLockedException, ModelNotInstalledException, ModelIntegrityException,
        StoreIOException {
  StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  StoreException(String message) {
    super(message);
  }

  /**
   * {@link soko.Reason#STORAGE}; a lock held elsewhere, a damaged store configuration, a model not
   * installed and a model that does not verify say so in their own reason.
   */
  @Override
  public soko.Reason reason() {
    return switch (this) {
      case StoreLockedException _ -> soko.Reason.LOCKED;
      case StoreConfigException _ -> soko.Reason.INVALID_INPUT;
      case ModelNotInstalledException _ -> soko.Reason.NOT_FOUND;
      case ModelIntegrityException _ -> soko.Reason.INTEGRITY;
      default -> soko.Reason.STORAGE;
    };
  }
}
