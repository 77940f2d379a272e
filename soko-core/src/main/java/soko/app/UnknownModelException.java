package soko.app;

/** No bundled model, catalog entry, alias or manifest file has that name. */
public final class UnknownModelException extends AppException {
  /**
   * The failure, with its message.
   *
   * @param message one line: what went wrong and how to fix it
   */
  public UnknownModelException(String message) {
    super(message);
  }
}
