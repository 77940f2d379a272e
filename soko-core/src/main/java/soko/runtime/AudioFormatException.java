package soko.runtime;

/** Audio that cannot be converted to 16 kHz mono, such as an unsupported WAV encoding. */
public final class AudioFormatException extends EngineException {
  public AudioFormatException(String message) {
    super(message);
  }
}
