package soko.runtime;

import soko.manifest.Language;

/** Text to text translation. Thread-safe, as {@link EngineSession} says. */
public non-sealed interface TranslationSession extends EngineSession {
  /**
   * Translates text.
   *
   * @param text the text, one or more sentences
   * @param from its language; must be a source language of the model's task
   * @param to the target language; must be the model's target
   * @return the translation
   * @throws ModelUnavailableException if the model does not translate {@code from} into {@code to}
   * @throws EngineCrashedException if the native engine or its process fails
   * @throws EngineException if the text cannot be translated (the message says why)
   */
  String translate(String text, Language from, Language to) throws EngineException;
}
