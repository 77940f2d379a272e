/**
 * The demo phrasebook engine: a handful of Japanese and Korean phrases looked up, not translated,
 * so that {@code soko demo} and tests run with no native code and no download. Exports nothing.
 *
 * @provides soko.runtime.EngineProvider {@code soko-phrasebook}
 */
module soko.engine.phrasebook {
  requires soko.core;
  requires static org.jspecify;

  provides soko.runtime.EngineProvider with soko.engine.phrasebook.PhrasebookEngine;
}
