package soko.engine.onnx.translation;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import soko.engine.onnx.json.JsonFormatException;
import soko.engine.onnx.sentencepiece.SentencePieceFormatException;
import soko.engine.onnx.sentencepiece.SentencePieceModel;
import soko.engine.onnx.tokenizer.Tokenizer;

/**
 * A loaded translation model: its sessions, tokenizer and configuration. Everything that can be
 * checked without native code (files, config, tokenizer, their agreement) is checked before ONNX
 * Runtime opens a graph. Thread-safe; close once.
 */
final class TranslationModel implements AutoCloseable {
  private final Seq2SeqOnnx onnx;
  private final Translator translator;

  private TranslationModel(Seq2SeqOnnx onnx, Translator translator) {
    this.onnx = onnx;
    this.translator = translator;
  }

  /** Reads and checks everything but the ONNX graphs. */
  record Prepared(ModelFiles files, ModelConfig config, TextCodec codec) {}

  /**
   * Checks a model's files, config and tokenizer.
   *
   * @throws ModelFormatException when they do not make a translation model Soko can run
   */
  static Prepared prepare(Map<String, Path> files) throws ModelFormatException, IOException {
    ModelFiles f = ModelFiles.choose(files);
    ModelConfig config;
    try {
      config = ModelConfig.read(f.config(), f.generationConfig());
    } catch (JsonFormatException e) {
      throw new ModelFormatException("the model's configuration is invalid: " + e.getMessage(), e);
    }
    TextCodec codec = switch (f.tokenizer()) {
      case ModelFiles.SentencePiece sp -> sentencePiece(sp, config);
      case ModelFiles.TokenizerJson tj -> tokenizerJson(tj, f, config);
    };
    return new Prepared(f, config, codec);
  }

  private static TextCodec sentencePiece(ModelFiles.SentencePiece sp, ModelConfig config)
      throws ModelFormatException, IOException {
    if (config.family() != ModelConfig.Family.MARIAN) {
      throw new ModelFormatException("source.spm, target.spm and vocab.json are Marian's tokenizer files, but"
          + " config.json says " + config.family().modelType + "; give this model its tokenizer.json");
    }
    try {
      return new SentencePieceCodec(SentencePieceModel.load(sp.source()), SentencePieceModel.load(sp.target()),
          SentencePieceCodec.readVocab(sp.vocab(), config.vocabSize()), config);
    } catch (SentencePieceFormatException e) {
      throw new ModelFormatException("the model's tokenizer is unusable: " + e.getMessage(), e);
    } catch (JsonFormatException e) {
      throw new ModelFormatException("the model's vocab.json is invalid: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("the model's vocab.json is unusable: " + e.getMessage(), e);
    }
  }

  private static TextCodec tokenizerJson(ModelFiles.TokenizerJson tj, ModelFiles f, ModelConfig config)
      throws ModelFormatException, IOException {
    try {
      TokenizerCodec.TokenizerConfig tc = f.tokenizerConfig().isPresent()
          ? TokenizerCodec.TokenizerConfig.read(f.tokenizerConfig().get()) : TokenizerCodec.TokenizerConfig.DEFAULT;
      return TokenizerCodec.create(Tokenizer.load(tj.file()), config, tc);
    } catch (JsonFormatException e) {
      throw new ModelFormatException("the model's tokenizer is unusable: " + e.getMessage(), e);
    }
  }

  /** Loads from manifest paths mapped to files. */
  static TranslationModel load(OrtEnvironment env, Map<String, Path> files, int threads)
      throws ModelFormatException, IOException, OrtException {
    Prepared p = prepare(files);
    Seq2SeqOnnx onnx = Seq2SeqOnnx.open(env, p.files().encoder(), p.files().layout(), p.files().decoders(), threads,
        p.config());
    List<Path> graphs = new ArrayList<>(p.files().decoders());
    graphs.add(p.files().encoder());
    boolean batch = !QuantizedGraphs.quantizeActivations(graphs);
    return new TranslationModel(onnx, new Translator(onnx, p.codec(), p.config(), batch));
  }

  Translator translator() {
    return translator;
  }

  Seq2SeqOnnx onnx() {
    return onnx;
  }

  @Override
  public void close() {
    onnx.close();
  }
}
