package soko.app;

/**
 * No bundled model, catalog entry, alias or manifest file has that name; or none of a model
 * file's sources could provide it without a download (every source's failure attached as suppressed).
 * One class for both because no caller handles them apart: the reason is {@link
 * soko.Reason#NOT_FOUND} and the message says what to do.
 */
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
