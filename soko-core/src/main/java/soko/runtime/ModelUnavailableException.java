package soko.runtime;

/**
 * No installed model can do what was asked, e.g. "ja-asr is not installed: run `soko pull ja-asr`",
 * or the model asked for cannot be used (its files changed since they were verified, or it does
 * not do the task). Immutable once thrown.
 */
public final class ModelUnavailableException extends EngineException {
  /**
   * Makes the exception.
   *
   * @param message one line: what is missing and the command that fixes it
   * @param cause the underlying error
   */
  public ModelUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Makes the exception, with no cause.
   *
   * @param message one line: what is missing and the command that fixes it
   */
  public ModelUnavailableException(String message) {
    super(message);
  }
}
