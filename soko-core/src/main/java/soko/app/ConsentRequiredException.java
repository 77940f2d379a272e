package soko.app;

/**
 * A download was needed but was not allowed: consent was refused or could not be asked, or Soko
 * is offline. No network request was made.
 */
public final class ConsentRequiredException extends AppException {
  public ConsentRequiredException(String message) {
    super(message);
  }
}
