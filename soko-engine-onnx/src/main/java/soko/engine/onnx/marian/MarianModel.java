package soko.engine.onnx.marian;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.util.Map;
import java.nio.file.Path;
import soko.engine.onnx.sentencepiece.SentencePieceFormatException;
import soko.engine.onnx.sentencepiece.SentencePieceModel;
import soko.internal.json.JsonProblem;

/** A loaded Marian model: its sessions, tokenizers and configuration. Thread-safe; close once. */
final class MarianModel implements AutoCloseable {
  private final MarianOnnx onnx;
  private final MarianTranslator translator;

  private MarianModel(MarianOnnx onnx, MarianTranslator translator) {
    this.onnx = onnx;
    this.translator = translator;
  }

  /** Loads from manifest paths mapped to files. */
  static MarianModel load(OrtEnvironment env, Map<String, Path> files, int threads)
      throws ModelFormatException, IOException, OrtException {
    MarianFiles f = MarianFiles.choose(files);
    MarianConfig config;
    try {
      config = MarianConfig.read(f.config(), f.generationConfig());
    } catch (JsonProblem e) {
      throw new ModelFormatException("the model's config.json or generation_config.json is invalid: "
          + e.getMessage(), e);
    }
    MarianText text;
    try {
      text = new MarianText(SentencePieceModel.load(f.sourceSpm()), SentencePieceModel.load(f.targetSpm()),
          MarianText.readVocab(f.vocab(), config.vocabSize()), config);
    } catch (SentencePieceFormatException e) {
      throw new ModelFormatException("the model's tokenizer is unusable: " + e.getMessage(), e);
    } catch (JsonProblem e) {
      throw new ModelFormatException("the model's vocab.json is invalid: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("the model's vocab.json is unusable: " + e.getMessage(), e);
    }
    MarianOnnx onnx = MarianOnnx.open(env, f.encoder(), f.decoder(), threads, config);
    return new MarianModel(onnx, new MarianTranslator(onnx, text, config));
  }

  MarianTranslator translator() {
    return translator;
  }

  MarianOnnx onnx() {
    return onnx;
  }

  @Override
  public void close() {
    onnx.close();
  }
}
