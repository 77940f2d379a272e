package soko.app;

/**
 * A download was needed but was not allowed: consent was refused or could not be asked, or Soko
 * is offline. No network request was made.
 */
public final class ConsentRequiredException extends AppException {
  /**
   * The failure, with its message.
   *
   * @param message one line: what went wrong and how to fix it
   */
  public ConsentRequiredException(String message) {
    super(message);
  }
}
