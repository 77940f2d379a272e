package soko.store;

/** The roots are unusable: they overlap each other or the media library, or hold a store of a newer layout. */
public final class StoreConfigException extends StoreException {
  public StoreConfigException(String message) {
    super(message);
  }

  public StoreConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
