package soko.engine.onnx.marian;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of a Marian export, chosen from a model's manifest paths by file name:
 * {@code encoder_model*.onnx} and {@code decoder_model_merged*.onnx} (the quantized variant when the
 * manifest lists several), {@code source.spm}, {@code target.spm}, {@code vocab.json},
 * {@code config.json} and, if present, {@code generation_config.json}.
 */
record MarianFiles(Path encoder, Path decoder, Path sourceSpm, Path targetSpm, Path vocab, Path config,
    Optional<Path> generationConfig) {

  /** Variant suffixes, best first: int8 runs fastest on CPUs; float16 inputs are not supported. */
  static final List<String> VARIANTS = List.of("_quantized", "_int8", "_uint8", "", "_q4", "_bnb4");

  static MarianFiles choose(Map<String, Path> files) throws ModelFormatException {
    return new MarianFiles(
        onnx(files, "encoder_model"),
        onnx(files, "decoder_model_merged"),
        named(files, "source.spm"),
        named(files, "target.spm"),
        named(files, "vocab.json"),
        named(files, "config.json"),
        find(files, "generation_config.json"));
  }

  private static String fileName(String manifestPath) {
    return manifestPath.substring(manifestPath.lastIndexOf('/') + 1);
  }

  private static Optional<Path> find(Map<String, Path> files, String name) {
    return files.entrySet().stream().filter(e -> fileName(e.getKey()).equals(name)).map(Map.Entry::getValue)
        .findFirst();
  }

  private static Path named(Map<String, Path> files, String name) throws ModelFormatException {
    Optional<Path> p = find(files, name);
    if (p.isEmpty()) {
      throw new ModelFormatException("the model has no " + name + "; a Marian model needs encoder_model*.onnx,"
          + " decoder_model_merged*.onnx, source.spm, target.spm, vocab.json and config.json");
    }
    return p.get();
  }

  private static Path onnx(Map<String, Path> files, String stem) throws ModelFormatException {
    for (String variant : VARIANTS) {
      Optional<Path> p = find(files, stem + variant + ".onnx");
      if (p.isPresent()) {
        return p.get();
      }
    }
    throw new ModelFormatException("the model has no " + stem + ".onnx (or a variant " + VARIANTS.stream()
        .filter(v -> !v.isEmpty()).map(v -> stem + v + ".onnx").toList() + ")");
  }
}
