/**
 * The example app as a module: it reads soko.core's exported API and nothing else. The engines it
 * uses (soko.engine.onnx, soko.engine.phrasebook) are not required here; they are found as
 * providers of soko.runtime.EngineProvider when they are on the module path.
 */
module com.example.embed {
  requires soko.core;
}
