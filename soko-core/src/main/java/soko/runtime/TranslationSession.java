package soko.runtime;

import soko.manifest.Language;

/** Text to text translation. */
public non-sealed interface TranslationSession extends EngineSession {
  String translate(String text, Language from, Language to) throws EngineException;
}
