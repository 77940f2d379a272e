package soko.runtime;

/** A native engine failed or its isolated process died; the host application is unharmed. */
public final class EngineCrashedException extends EngineException {
  public EngineCrashedException(String message, Throwable cause) {
    super(message, cause);
  }

  public EngineCrashedException(String message) {
    super(message);
  }
}
