package soko.app;

import soko.manifest.Language;

/**
 * A text translation and the model that made it. Check {@code model().demo()}: the bundled
 * phrasebook only looks up fixed phrases and is not real machine translation.
 */
public record Translation(String source, String text, Language from, Language to, ModelUse model, Timings timings) {}
