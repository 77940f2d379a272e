package soko.runtime;

/** An engine could not do what was asked. The message says what to do about it. */
public sealed class EngineException extends soko.SokoException
    permits AudioFormatException, ModelUnavailableException, EngineCrashedException {
  public EngineException(String message) {
    super(message);
  }

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
