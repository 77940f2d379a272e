package soko.acquisition.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import soko.acquisition.oci.ModelPack.LayerType;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.manifest.Language;
import soko.manifest.License;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelName;
import soko.manifest.Version;
import soko.verification.Digest;

/**
 * The Soko manifest of a ModelPack written by another tool, except the files of packed layers:
 * name, version, engine, task and licence inferred from its config, its manifest annotations and
 * its reference, with any {@code dev.soko.*} annotations winning. Thread-safe; no I/O.
 */
final class ForeignModelPack {
  private ForeignModelPack() {}

  /** The template of the model that the artifact {@code m}, of config {@code cfg}, describes. */
  static PulledManifest.Template template(ImageManifest m, ModelPackConfig cfg, List<LayerRef> layers, OciReference reference,
      Digest digest, String where) throws OciFormatException {
    Map<String, String> ann = m.annotations();
    ObjectNode root = Json.object();
    root.put("schemaVersion", ManifestCodec.SCHEMA_VERSION);
    root.put("name", name(cfg, ann, reference));
    root.put("version", version(cfg, ann, reference, digest));
    String description = Optional.ofNullable(ann.get(ModelPack.SOKO_DESCRIPTION)).or(cfg::description)
        .or(() -> Optional.ofNullable(ann.get("org.opencontainers.image.description"))).orElse("");
    if (!description.isEmpty()) {
      root.put("description", description.length() > 4096 ? description.substring(0, 4096) : description);
    }
    // engine
    String engineId;
    if (ann.containsKey(ModelPack.SOKO_ENGINE)) {
      root.set("engine", jsonAnnotation(ann, ModelPack.SOKO_ENGINE, where));
      engineId = root.get("engine").path("id").asText("");
    } else {
      engineId = engine(cfg, layers);
      root.putObject("engine").put("id", engineId);
    }
    // tasks
    Optional<String> noTask = Optional.empty();
    if (ann.containsKey(ModelPack.SOKO_TASKS)) {
      root.set("tasks", jsonAnnotation(ann, ModelPack.SOKO_TASKS, where));
    } else {
      ArrayNode tasks = root.putArray("tasks");
      Optional<List<String>> asr = inferredAsr(cfg, engineId);
      if (asr.isPresent()) {
        ObjectNode t = tasks.addObject();
        t.put("task", "asr");
        asr.get().forEach(t.putArray("languages")::add);
      } else {
        noTask = Optional.of(noTaskReason(cfg, engineId));
      }
    }
    // licence
    List<String> spdx = cfg.licenses().isEmpty() ? Optional.ofNullable(ann.get(ModelPack.LICENSES)).map(List::of).orElse(List.of())
        : cfg.licenses();
    String expression = spdxExpression(spdx);
    ObjectNode lic = root.putObject("license");
    lic.put("spdx", expression);
    String url = Optional.ofNullable(ann.get(ModelPack.SOKO_LICENSE_URL))
        .or(() -> expression.equals("NOASSERTION") ? cfg.docUrl().filter(u -> u.startsWith("https://")) : Optional.empty())
        .orElse(ModelPack.spdxPage(expression).toString());
    lic.put("url", url);
    lic.put("attribution", ann.getOrDefault(ModelPack.SOKO_ATTRIBUTION, ""));
    if ("true".equals(ann.get(ModelPack.SOKO_DEMO))) {
      root.put("demo", true);
    }
    // what a push must write again
    ObjectNode keep = root.putObject("annotations");
    cfg.createdAt().or(() -> Optional.ofNullable(ann.get(ModelPack.CREATED))).ifPresent(c -> keep.put(ModelPack.CREATED, c));
    putIf(keep, "family", cfg.family());
    putIf(keep, "architecture", cfg.architecture());
    putIf(keep, "format", cfg.format());
    putIf(keep, "param-size", cfg.paramSize());
    putIf(keep, "precision", cfg.precision());
    putIf(keep, "quantization", cfg.quantization());
    putIf(keep, "doc-url", cfg.docUrl());
    putIf(keep, "source-url", cfg.sourceUrl());
    if (noTask.isPresent()) {
      putIf(keep, "input-types", join(cfg.inputTypes()));
      putIf(keep, "output-types", join(cfg.outputTypes()));
      putIf(keep, "languages", join(cfg.languages()));
    }
    // raw files; the files of packed layers are added by PulledManifest.complete
    List<PulledManifest.FileEntry> rawFiles = new ArrayList<>();
    List<Digest> diffIds = cfg.diffIds().size() == layers.size() ? cfg.diffIds() : List.of();
    for (LayerRef l : layers) {
      LayerType type = LayerType.parse(l.mediaType()).orElseThrow();
      if (!type.packed()) {
        rawFiles.add(new PulledManifest.FileEntry(l.path(), l.size(), l.digest(), reference.blobUri(l.digest()), type.mediaType()));
      }
    }
    return new PulledManifest.Template(root, rawFiles, diffIds, noTask, false);
  }

  private static Optional<String> join(List<String> values) {
    return values.isEmpty() ? Optional.empty() : Optional.of(String.join(",", values));
  }

  private static void putIf(ObjectNode o, String field, Optional<String> value) {
    value.filter(v -> v.length() <= 4096).ifPresent(v -> o.put(field.equals(ModelPack.CREATED) ? field : ModelPack.CONFIG_PREFIX + field, v));
  }

  private static JsonNode jsonAnnotation(Map<String, String> ann, String key, String where) throws OciFormatException {
    try {
      return Json.parse(ann.get(key).getBytes(StandardCharsets.UTF_8), 64 * 1024, key).raw();
    } catch (JsonProblem p) {
      throw new OciFormatException(where + ": the " + key + " annotation is not valid JSON: " + p.problem(), p);
    }
  }

  /** descriptor.name, the manifest's title, then the last part of the repository: the first that is a valid model name. */
  private static String name(ModelPackConfig cfg, Map<String, String> ann, OciReference ref) {
    List<String> candidates = new ArrayList<>();
    cfg.name().ifPresent(candidates::add);
    Optional.ofNullable(ann.get(ModelPack.TITLE)).ifPresent(candidates::add);
    String repo = ref.repository();
    candidates.add(repo.substring(repo.lastIndexOf('/') + 1));
    for (String c : candidates) {
      try {
        return ModelName.parse(c).value();
      } catch (IllegalArgumentException e) {
        String cleaned = c.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
        if (cleaned.length() > 64) {
          cleaned = cleaned.substring(0, 64);
        }
        try {
          return ModelName.parse(cleaned).value();
        } catch (IllegalArgumentException stillBad) {
          // try the next candidate
        }
      }
    }
    return "model-" + ref.repository().hashCode(); // unreachable in practice: a repository name is a valid name once cleaned
  }

  /** descriptor.version, the manifest's version, then the tag: the first that is semver, once a leading v and missing parts are allowed for. */
  private static String version(ModelPackConfig cfg, Map<String, String> ann, OciReference ref, Digest digest) {
    List<String> candidates = new ArrayList<>();
    cfg.version().ifPresent(candidates::add);
    Optional.ofNullable(ann.get(ModelPack.VERSION)).ifPresent(candidates::add);
    ref.tag().ifPresent(candidates::add);
    for (String c : candidates) {
      String s = c.strip();
      if (s.startsWith("v") || s.startsWith("V")) {
        s = s.substring(1);
      }
      if (s.matches("\\d+")) {
        s += ".0.0";
      } else if (s.matches("\\d+\\.\\d+")) {
        s += ".0";
      }
      try {
        return Version.parse(s).text();
      } catch (IllegalArgumentException e) {
        // try the next candidate
      }
    }
    return "0.0.0+" + digest.hex().substring(0, 12);
  }

  private static String spdxExpression(List<String> licenses) {
    if (licenses.isEmpty()) {
      return "NOASSERTION";
    }
    String joined = licenses.size() == 1 ? licenses.get(0)
        : licenses.stream().allMatch(l -> ModelPack.SIMPLE_SPDX.matcher(l).matches()) ? String.join(" AND ", licenses)
        : "(" + String.join(") AND (", licenses) + ")";
    try {
      return new License(joined, URI.create("https://spdx.org/licenses/"), "").spdx();
    } catch (IllegalArgumentException e) {
      String wrapped = "(" + joined + ")";
      try {
        return new License(wrapped, URI.create("https://spdx.org/licenses/"), "").spdx();
      } catch (IllegalArgumentException still) {
        return "NOASSERTION";
      }
    }
  }

  /** The engine the config's format or the weight files point to, or {@value #ModelPack.NO_ENGINE}. */
  private static String engine(ModelPackConfig cfg, List<LayerRef> layers) {
    String format = cfg.format().orElse("").toLowerCase(Locale.ROOT);
    if (format.equals("ggml")) {
      return "whisper.cpp";
    }
    if (format.equals("onnx")) {
      return "onnxruntime";
    }
    if (!format.isEmpty()) {
      return ModelPack.NO_ENGINE;
    }
    List<String> weights = layers.stream().filter(l -> LayerType.parse(l.mediaType()).orElseThrow().kind().equals("weight"))
        .map(l -> l.path().fileName().toLowerCase(Locale.ROOT)).toList();
    if (!weights.isEmpty() && weights.stream().allMatch(w -> w.endsWith(".onnx") || w.endsWith(".onnx_data"))) {
      return "onnxruntime";
    }
    if (!weights.isEmpty() && weights.stream().allMatch(w -> w.startsWith("ggml-") && w.endsWith(".bin"))) {
      return "whisper.cpp";
    }
    return ModelPack.NO_ENGINE;
  }

  /**
   * Speech recognition in the listed languages, when the config says audio in and text out only,
   * lists languages Soko knows, and the model runs on whisper.cpp: the one reading without a guess.
   */
  private static Optional<List<String>> inferredAsr(ModelPackConfig cfg, String engineId) {
    if (!engineId.equals("whisper.cpp") || !cfg.inputTypes().equals(List.of("audio")) || !cfg.outputTypes().equals(List.of("text"))
        || cfg.languages().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(cfg.languages().stream().map(l -> Language.parse(l.toLowerCase(Locale.ROOT)).code()).distinct().toList());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String noTaskReason(ModelPackConfig cfg, String engineId) {
    String says = "its config says " + (cfg.inputTypes().isEmpty() ? "no input types" : "inputs " + cfg.inputTypes())
        + (cfg.outputTypes().isEmpty() ? "" : ", outputs " + cfg.outputTypes())
        + (cfg.languages().isEmpty() ? ", no languages" : ", languages " + cfg.languages())
        + ", format " + cfg.format().orElse("(none)");
    return engineId.equals(ModelPack.NO_ENGINE)
        ? says + ", which no Soko engine reads"
        : says + ", which does not tell which task it performs";
  }
}
