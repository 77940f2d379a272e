package soko.engine.onnx.translation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The committed tiny exports made by {@code tiny/generate.py} (real transformers M2M100 and Marian
 * code, random weights, Optimum's file layout, int8 variants), unpacked into a model folder with the
 * layout a publisher ships: config files, tokenizer.json and the chosen ONNX graphs under onnx/.
 */
final class TinyExports {
  static final String DIR = "/soko/engine/onnx/translation/tiny/";

  /** A model's graph set: which decoder layout, quantized or not. */
  enum Graphs {
    MERGED(List.of("encoder_model", "decoder_model_merged")),
    SPLIT(List.of("encoder_model", "decoder_model", "decoder_with_past_model")),
    MERGED_QUANTIZED(List.of("encoder_model_quantized", "decoder_model_merged_quantized")),
    SPLIT_QUANTIZED(List.of("encoder_model_quantized", "decoder_model_quantized", "decoder_with_past_model_quantized"));

    final List<String> files;

    Graphs(List<String> files) {
      this.files = files;
    }
  }

  private TinyExports() {}

  static byte[] resource(String path, boolean gzipped) throws IOException {
    try (InputStream raw = TinyExports.class.getResourceAsStream(path)) {
      if (raw == null) {
        throw new IOException(path + " is missing");
      }
      return gzipped ? new GZIPInputStream(raw).readAllBytes() : raw.readAllBytes();
    }
  }

  /**
   * Writes the model folder and returns manifest path → file.
   *
   * @param model "m2m100" or "marian"
   */
  static Map<String, Path> write(Path dir, String model, Graphs graphs) throws IOException {
    Files.createDirectories(dir.resolve("onnx"));
    Map<String, Path> files = new LinkedHashMap<>();
    for (String name : List.of("config.json", "generation_config.json", "tokenizer_config.json")) {
      Files.write(dir.resolve(name), resource(DIR + model + "/" + name, false));
      files.put(name, dir.resolve(name));
    }
    String tokenizer = model.equals("marian") ? "marian-ja" : model;
    Files.write(dir.resolve("tokenizer.json"),
        resource("/soko/engine/onnx/tokenizer/" + tokenizer + ".tokenizer.json.gz", true));
    files.put("tokenizer.json", dir.resolve("tokenizer.json"));
    for (String graph : graphs.files) {
      Path p = dir.resolve("onnx/" + graph + ".onnx");
      Files.write(p, resource(DIR + model + "/onnx/" + graph + ".onnx.gz", true));
      files.put("onnx/" + graph + ".onnx", p);
    }
    return files;
  }
}
