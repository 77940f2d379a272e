package soko.app;

/** None of a file's sources could provide it. Every source's failure is attached as suppressed. */
public final class NoSourceException extends AppException {
  public NoSourceException(String message) {
    super(message);
  }
}
