package soko.app;

/** None of a file's sources could provide it. Every source's failure is attached as suppressed. */
public final class NoSourceException extends AppException {
  /**
   * The failure, with its message.
   *
   * @param message one line: what went wrong and how to fix it
   */
  public NoSourceException(String message) {
    super(message);
  }
}
