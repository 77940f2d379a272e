package soko.runtime;

import java.util.List;
import soko.manifest.Language;

/** Speech recognition and speech translation to English. Thread-safe, as {@link EngineSession} says. */
public non-sealed interface SpeechSession extends EngineSession {
  /**
   * Transcribes speech in {@code language}; with {@code translateToEnglish}, returns English text.
   *
   * @param audio 16 kHz mono audio
   * @param language the spoken language; must be one the model's task lists
   * @param translateToEnglish true for English text (speech-translate), false for text in {@code
   *     language} (asr)
   * @return timed text segments, possibly none for silence
   * @throws ModelUnavailableException if the model does not do that task for {@code language}
   * @throws EngineCrashedException if the native engine or its process fails
   * @throws EngineException if the audio cannot be processed (the message says why)
   */
  List<Segment> transcribe(Audio audio, Language language, boolean translateToEnglish) throws EngineException;
}
