package soko.runtime;

/** An engine could not do what was asked. The message says what to do about it. */
public sealed class EngineException extends Exception
    permits AudioFormatException, ModelUnavailableException, EngineCrashedException {
  public EngineException(String message) {
    super(message);
  }

  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
