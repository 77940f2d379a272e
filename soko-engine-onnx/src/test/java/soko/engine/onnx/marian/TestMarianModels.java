package soko.engine.onnx.marian;

import java.nio.file.Path;
import soko.engine.onnx.translation.TestTranslationModels;

/**
 * For other modules' tests (through this module's test jar): writes a tiny random-weight
 * Marian-architecture model folder with the Optimum export's exact layout and I/O contract.
 * Its translations are meaningless; it proves the path through the real ONNX engine.
 */
public final class TestMarianModels {
  private TestMarianModels() {}

  /** Writes encoder, merged decoder, tokenizers, vocab and configs into {@code dir}; returns {@code dir}. */
  public static Path writeTiny(Path dir) throws Exception {
    return TestTranslationModels.writeTinyMarian(dir);
  }
}
