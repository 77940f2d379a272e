package soko.store;

/**
 * The roots are unusable: they overlap each other or the media library, or hold a store of a newer
 * layout. Not retry-worthy: the configuration must change. Immutable once thrown.
 */
public final class StoreConfigException extends StoreException {
  /**
   * Makes the exception.
   *
   * @param message one line: which roots, what is wrong, and which flag or variable fixes it
   */
  public StoreConfigException(String message) {
    super(message);
  }

  /**
   * Makes the exception.
   *
   * @param message one line: which roots, what is wrong, and how to fix it
   * @param cause the underlying error
   */
  public StoreConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
