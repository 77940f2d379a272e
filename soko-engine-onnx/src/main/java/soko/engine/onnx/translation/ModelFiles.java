package soko.engine.onnx.translation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of a translation export, chosen from a model's manifest paths by file name (folders do
 * not matter, so {@code onnx/encoder_model.onnx} and {@code encoder_model.onnx} are the same):
 *
 * <ul>
 *   <li>{@code config.json}, and if present {@code generation_config.json} and
 *       {@code tokenizer_config.json};
 *   <li>the tokenizer: {@code source.spm} + {@code target.spm} + {@code vocab.json} (Marian's own
 *       files, preferred when all three are there), else {@code tokenizer.json};
 *   <li>the ONNX graphs of one variant, in the order of {@link #VARIANTS} ({@code _quantized} first):
 *       {@code encoder_model<v>.onnx} with {@code decoder_model_merged<v>.onnx}, or with
 *       {@code decoder_model<v>.onnx} and {@code decoder_with_past_model<v>.onnx}; the merged decoder
 *       wins when a variant has both layouts.
 * </ul>
 */
record ModelFiles(Path encoder, Seq2SeqOnnx.Layout layout, List<Path> decoders, Tokenizer tokenizer, Path config,
    Optional<Path> generationConfig, Optional<Path> tokenizerConfig) {

  /** Variant suffixes, best first: int8 runs fastest on CPUs; float16 inputs are not supported. */
  static final List<String> VARIANTS = List.of("_quantized", "_int8", "_uint8", "", "_q4", "_bnb4");

  ModelFiles {
    decoders = List.copyOf(decoders);
  }

  /** Which tokenizer files a model has. */
  sealed interface Tokenizer permits SentencePiece, TokenizerJson {}

  /** Marian's source and target SentencePiece models and shared vocabulary. */
  record SentencePiece(Path source, Path target, Path vocab) implements Tokenizer {}

  /** A Hugging Face tokenizer.json. */
  record TokenizerJson(Path file) implements Tokenizer {}

  static ModelFiles choose(Map<String, Path> files) throws ModelFormatException {
    Path config = find(files, "config.json").orElseThrow(() -> new ModelFormatException("the model has no"
        + " config.json; a translation export needs config.json, a tokenizer (tokenizer.json, or source.spm,"
        + " target.spm and vocab.json) and encoder_model*.onnx with decoder_model_merged*.onnx (or"
        + " decoder_model*.onnx and decoder_with_past_model*.onnx)"));
    Optional<Path> source = find(files, "source.spm");
    Optional<Path> target = find(files, "target.spm");
    Optional<Path> vocab = find(files, "vocab.json");
    Optional<Path> json = find(files, "tokenizer.json");
    Tokenizer tokenizer;
    if (source.isPresent() && target.isPresent() && vocab.isPresent()) {
      tokenizer = new SentencePiece(source.get(), target.get(), vocab.get());
    } else if (json.isPresent()) {
      tokenizer = new TokenizerJson(json.get());
    } else {
      List<String> missing = new ArrayList<>();
      for (String name : List.of("source.spm", "target.spm", "vocab.json")) {
        if (find(files, name).isEmpty()) {
          missing.add(name);
        }
      }
      throw new ModelFormatException("the model has no tokenizer: it needs tokenizer.json, or source.spm,"
          + " target.spm and vocab.json (missing " + String.join(", ", missing) + ")");
    }
    for (String variant : VARIANTS) {
      Optional<Path> encoder = find(files, "encoder_model" + variant + ".onnx");
      if (encoder.isEmpty()) {
        continue;
      }
      Optional<Path> merged = find(files, "decoder_model_merged" + variant + ".onnx");
      if (merged.isPresent()) {
        return new ModelFiles(encoder.get(), Seq2SeqOnnx.Layout.MERGED, List.of(merged.get()), tokenizer, config,
            find(files, "generation_config.json"), find(files, "tokenizer_config.json"));
      }
      Optional<Path> first = find(files, "decoder_model" + variant + ".onnx");
      Optional<Path> next = find(files, "decoder_with_past_model" + variant + ".onnx");
      if (first.isPresent() && next.isPresent()) {
        return new ModelFiles(encoder.get(), Seq2SeqOnnx.Layout.SPLIT, List.of(first.get(), next.get()), tokenizer,
            config, find(files, "generation_config.json"), find(files, "tokenizer_config.json"));
      }
    }
    List<String> onnx = files.keySet().stream().map(ModelFiles::fileName).filter(n -> n.endsWith(".onnx")).sorted()
        .toList();
    throw new ModelFormatException("the model has no complete set of ONNX graphs of one variant: it needs"
        + " encoder_model<v>.onnx with decoder_model_merged<v>.onnx, or with decoder_model<v>.onnx and"
        + " decoder_with_past_model<v>.onnx, for <v> one of " + VARIANTS.stream().map(v -> "\"" + v + "\"").toList()
        + "; it has " + onnx);
  }

  private static String fileName(String manifestPath) {
    return manifestPath.substring(manifestPath.lastIndexOf('/') + 1);
  }

  private static Optional<Path> find(Map<String, Path> files, String name) {
    return files.entrySet().stream().filter(e -> fileName(e.getKey()).equals(name)).map(Map.Entry::getValue)
        .sorted().findFirst();
  }
}
