package soko.runtime;

/**
 * An engine could not do what was asked. The message says what to do about it. Thrown as is for a
 * failure that is none of the subclasses (such as bad input to a session). Immutable once thrown.
 */
public sealed class EngineException extends soko.SokoException
    permits AudioFormatException, ModelUnavailableException, EngineCrashedException {
  /**
   * Makes the exception.
   *
   * @param message one line: what went wrong and what to do
   */
  public EngineException(String message) {
    super(message);
  }

  /**
   * Makes the exception.
   *
   * @param message one line: what went wrong and what to do
   * @param cause the underlying error
   */
  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * {@link soko.Reason#ENGINE}; {@link soko.Reason#INTEGRITY} when the cause is a failed integrity
   * check (a model whose files changed).
   */
  @Override
  public final soko.Reason reason() {
    return getCause() instanceof soko.SokoException s && s.reason() == soko.Reason.INTEGRITY
        ? soko.Reason.INTEGRITY : soko.Reason.ENGINE;
  }
}
