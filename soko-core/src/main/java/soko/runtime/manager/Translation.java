package soko.runtime.manager;

import soko.manifest.Language;

/**
 * A text translation and the model that made it. Check {@code model().demo()}: the bundled
 * phrasebook only looks up fixed phrases and is not real machine translation.
 *
 * @param source the text as given
 * @param text its translation
 * @param from the source language
 * @param to the target language
 * @param model the model that translated it
 * @param timings where the time went
 */
public record Translation(String source, String text, Language from, Language to, ModelUse model, Timings timings) {}
