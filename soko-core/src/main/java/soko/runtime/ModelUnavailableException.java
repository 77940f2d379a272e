package soko.runtime;

/** No installed model can do what was asked, e.g. "ja-asr is not installed: run `soko pull ja-asr`". */
public final class ModelUnavailableException extends EngineException {
  public ModelUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public ModelUnavailableException(String message) {
    super(message);
  }
}
