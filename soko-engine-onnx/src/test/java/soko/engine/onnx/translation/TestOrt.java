package soko.engine.onnx.translation;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Path;
import soko.engine.onnx.OrtRuntime;

/**
 * The ONNX Runtime environment for tests, loaded the way the engines load it (natives unpacked into
 * a scratch folder, not ONNX Runtime's own temporary folder), so that whichever test class loads the
 * natives first, the process looks the same to the tests that check where they came from.
 */
final class TestOrt {
  private TestOrt() {}

  static OrtEnvironment environment() throws Exception {
    return OrtRuntime.environment(Path.of(System.getProperty("java.io.tmpdir"), "soko-test-scratch"));
  }
}
