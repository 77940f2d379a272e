/**
 * ONNX Runtime engines: Silero voice activity detection and Marian, M2M100 and NLLB text
 * translation. Exports nothing: Soko finds the engines through {@link java.util.ServiceLoader}.
 *
 * <p>Needs native access for this module and ONNX Runtime's, such as {@code
 * --enable-native-access=soko.engine.onnx,com.microsoft.onnxruntime} on the module path
 * ({@code ALL-UNNAMED} on the class path).
 *
 * @provides soko.runtime.EngineProvider {@code silero-vad} and {@code onnx-translation}
 */
@SuppressWarnings("requires-automatic") // ONNX Runtime has a stable Automatic-Module-Name, no descriptor
module soko.engine.onnx {
  requires soko.core;
  requires com.microsoft.onnxruntime;
  requires static org.jspecify;

  provides soko.runtime.EngineProvider with
      soko.engine.onnx.vad.SileroVadProvider,
      soko.engine.onnx.translation.TranslationEngineProvider;
}
