package soko.engine.onnx.translation;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import soko.engine.onnx.sentencepiece.SentencePieceModel;
import soko.manifest.EngineRequirement;
import soko.manifest.Language;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.model.VerifiedModel;
import soko.verification.Hashing;

/**
 * A complete Marian model folder for tests: random-weight ONNX files from {@link TinyMarian}, the
 * committed Japanese SentencePiece model as source.spm, the English one as target.spm, a vocab.json
 * over both, and config files. Files sit under the manifest paths an Optimum export uses.
 */
final class TinyModelDir {
  static final String SOURCE_SPM = "/soko/engine/onnx/sentencepiece/ja-nfkc.spm";
  static final String TARGET_SPM = "/soko/engine/onnx/sentencepiece/en-identity.spm";

  /**
   * @param maxLength config max_length (output tokens + 1)
   * @param forcedEos whether config sets forced_eos_token_id
   */
  record Options(TinyMarian.Geometry geometry, int maxLength, int beams, boolean forcedEos, String onnxSuffix,
      boolean generationConfig) {
    static Options of(TinyMarian.Geometry g) {
      return new Options(g, 12, 1, false, "", true);
    }

    Options withMaxLength(int m) {
      return new Options(geometry, m, beams, forcedEos, onnxSuffix, generationConfig);
    }

    Options withBeams(int b) {
      return new Options(geometry, maxLength, b, forcedEos, onnxSuffix, generationConfig);
    }

    Options withForcedEos() {
      return new Options(geometry, maxLength, beams, true, onnxSuffix, generationConfig);
    }
  }

  private TinyModelDir() {}

  static byte[] resource(String name) throws IOException {
    try (InputStream in = TinyModelDir.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  /** Pieces for a vocabulary of {@code size}: eos 0, unk 1, source then target pieces, pad last. */
  static List<String> vocab(int size) throws Exception {
    Set<String> pieces = new LinkedHashSet<>(List.of("</s>", "<unk>"));
    for (String spm : List.of(SOURCE_SPM, TARGET_SPM)) {
      SentencePieceModel m = SentencePieceModel.parse(resource(spm));
      for (int i = 0; i < m.size(); i++) {
        String p = m.piece(i);
        if (!(p.startsWith("<") && p.endsWith(">"))) {
          pieces.add(p);
        }
      }
    }
    List<String> out = new ArrayList<>(pieces).subList(0, Math.min(pieces.size(), size - 1));
    out = new ArrayList<>(out);
    out.add("<pad>");
    if (out.size() != size) {
      throw new IllegalArgumentException("the test tokenizers have only " + out.size() + " pieces");
    }
    return out;
  }

  /** Writes the folder and returns manifest path → file. */
  static Map<String, Path> write(Path dir, Options o) throws Exception {
    TinyMarian.Geometry g = o.geometry();
    TinyMarian.write(g, dir.resolve("onnx"), o.onnxSuffix());
    Files.write(dir.resolve("source.spm"), resource(SOURCE_SPM));
    Files.write(dir.resolve("target.spm"), resource(TARGET_SPM));
    List<String> vocab = vocab(g.vocab());
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < vocab.size(); i++) {
      json.append(i == 0 ? "" : ",").append('"').append(vocab.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\":").append(i);
    }
    Files.writeString(dir.resolve("vocab.json"), json.append('}').toString());
    int pad = g.vocab() - 1;
    String config = """
        {"model_type": "marian", "d_model": %d, "encoder_layers": %d, "decoder_layers": %d,
         "decoder_attention_heads": %d, "vocab_size": %d, "decoder_vocab_size": %d, "pad_token_id": %d,
         "eos_token_id": 0, "decoder_start_token_id": %d, "max_position_embeddings": %d,
         "bad_words_ids": [[%d]], "num_beams": 4, "max_length": 512%s}
        """.formatted(g.dModel(), g.encoderLayers(), g.decoderLayers(), g.heads(), g.vocab(), g.vocab(), pad, pad,
        g.maxPositions(), pad, o.forcedEos() ? ", \"forced_eos_token_id\": 0" : "");
    Files.writeString(dir.resolve("config.json"), config);
    Map<String, Path> files = new LinkedHashMap<>();
    files.put("config.json", dir.resolve("config.json"));
    if (o.generationConfig()) {
      // generation_config.json overrides config.json: the real max_length/num_beams come from here.
      Files.writeString(dir.resolve("generation_config.json"), """
          {"max_length": %d, "num_beams": %d, "pad_token_id": %d, "eos_token_id": 0,
           "decoder_start_token_id": %d, "bad_words_ids": [[%d]]%s}
          """.formatted(o.maxLength(), o.beams(), pad, pad, pad, o.forcedEos() ? ", \"forced_eos_token_id\": 0" : ""));
      files.put("generation_config.json", dir.resolve("generation_config.json"));
    }
    files.put("onnx/encoder_model" + o.onnxSuffix() + ".onnx", dir.resolve("onnx/encoder_model" + o.onnxSuffix() + ".onnx"));
    files.put("onnx/decoder_model_merged" + o.onnxSuffix() + ".onnx",
        dir.resolve("onnx/decoder_model_merged" + o.onnxSuffix() + ".onnx"));
    files.put("source.spm", dir.resolve("source.spm"));
    files.put("target.spm", dir.resolve("target.spm"));
    files.put("vocab.json", dir.resolve("vocab.json"));
    return files;
  }

  static Manifest manifest(String name, Map<String, Path> files, TaskSpec... tasks) throws IOException {
    List<ModelFile> list = new ArrayList<>();
    for (Map.Entry<String, Path> e : files.entrySet()) {
      Hashing.Measured m = Hashing.sha256(e.getValue());
      list.add(new ModelFile(new RelativePath(e.getKey()), m.size(), m.digest(), List.of()));
    }
    return new Manifest(new ModelName(name), Version.parse("1.0.0"), "test model", List.of(tasks),
        new EngineRequirement("onnxruntime", VersionRange.parse(">=1.29.0")),
        new License("CC-BY-4.0", URI.create("https://example.org/licence"), "test"), list, true, Map.of());
  }

  static VerifiedModel verified(String name, Map<String, Path> files) throws IOException {
    return new VerifiedModel(manifest(name, files, TaskSpec.translate(Language.JA, Language.EN)), files, Instant.EPOCH);
  }

  static String text(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  static Optional<Path> none() {
    return Optional.empty();
  }
}
