package soko.engine.onnx.translation;

import java.nio.file.Path;

/**
 * For other modules' tests (through this module's test jar): writes tiny random-weight translation
 * model folders with an Optimum export's exact layout and I/O contract. Their translations are
 * meaningless; they prove the path through the real ONNX engine.
 */
public final class TestTranslationModels {
  private TestTranslationModels() {}

  /** A Marian model with SentencePiece tokenizer files: encoder, merged decoder, tokenizers, vocab, configs. */
  public static Path writeTinyMarian(Path dir) throws Exception {
    TinyModelDir.write(dir, TinyModelDir.Options.of(TinyMarian.Geometry.small(300)));
    return dir;
  }
}
