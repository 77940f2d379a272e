package soko.runtime;

/**
 * Audio that cannot be converted to 16 kHz mono, such as an unsupported WAV encoding. Immutable once
 * thrown.
 */
public final class AudioFormatException extends EngineException {
  /**
   * Makes the exception.
   *
   * @param message one line: what is wrong with the audio and which formats are read
   */
  public AudioFormatException(String message) {
    super(message);
  }
}
