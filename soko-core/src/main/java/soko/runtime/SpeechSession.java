package soko.runtime;

import java.util.List;
import soko.manifest.Language;

/** Speech recognition and speech translation to English. */
public non-sealed interface SpeechSession extends EngineSession {
  /**
   * Transcribes speech in {@code language}; with {@code translateToEnglish}, returns English text.
   *
   * @return timed text segments, possibly none for silence
   */
  List<Segment> transcribe(Audio audio, Language language, boolean translateToEnglish) throws EngineException;
}
