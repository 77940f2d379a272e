package soko.runtime;

/**
 * A native engine failed or its isolated process died; the host application is unharmed. Opening
 * the model again starts a new process. Immutable once thrown.
 */
public final class EngineCrashedException extends EngineException {
  /**
   * Makes the exception.
   *
   * @param message one line: what failed and what to do
   * @param cause the underlying error
   */
  public EngineCrashedException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Makes the exception, with no cause.
   *
   * @param message one line: what failed and what to do
   */
  public EngineCrashedException(String message) {
    super(message);
  }
}
