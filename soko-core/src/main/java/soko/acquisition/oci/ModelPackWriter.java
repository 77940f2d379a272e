package soko.acquisition.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import soko.acquisition.oci.ModelPack.LayerType;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.manifest.RelativePath;
import soko.manifest.TaskSpec;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * Writes a Soko {@link soko.manifest.Manifest} as a ModelPack artifact, as {@link ModelPack#write}
 * describes: layers, config and manifest annotations. Thread-safe; no I/O.
 */
final class ModelPackWriter {
  private ModelPackWriter() {}

  static ModelPackArtifact write(Manifest model, Optional<Hashing.Measured> licenseText, Instant pushedAt) {
    String created = model.annotations().getOrDefault(ModelPack.CREATED, pushedAt.truncatedTo(ChronoUnit.SECONDS).toString());
    Manifest published = published(model, created);
    Map<String, String> types = mediaTypes(published);
    List<LayerRef> layers = new ArrayList<>();
    for (String kind : ModelPack.KINDS) {
      for (ModelFile f : published.files()) {
        String type = types.getOrDefault(f.path().value(), ModelPack.layerType(f.path()));
        if (LayerType.parse(type).map(LayerType::kind).orElse("weight").equals(kind)) {
          layers.add(new LayerRef(type, f.sha256(), f.size(), f.path()));
        }
      }
    }
    if (licenseText.isPresent() && published.file(ModelPack.LICENSE_PATH).isEmpty()) {
      boolean clash = published.files().stream().anyMatch(f -> f.path().caseFoldKey().equals("license"));
      if (!clash) {
        layers.add(new LayerRef(ModelPack.DOC, licenseText.get().digest(), licenseText.get().size(), RelativePath.parse(ModelPack.LICENSE_PATH)));
      }
    }
    byte[] config = config(published, layers, created).toJson();
    Digest configDigest = Hashing.sha256(config);

    ObjectNode root = Json.object();
    root.put("schemaVersion", 2);
    root.put("mediaType", ImageManifest.OCI_MANIFEST);
    root.put("artifactType", ModelPack.ARTIFACT_TYPE);
    ObjectNode cfg = root.putObject("config");
    cfg.put("mediaType", ModelPack.CONFIG_TYPE);
    cfg.put("digest", configDigest.toString());
    cfg.put("size", config.length);
    ArrayNode ls = root.putArray("layers");
    for (LayerRef l : layers) {
      ObjectNode o = ls.addObject();
      o.put("mediaType", l.mediaType());
      o.put("digest", l.digest().toString());
      o.put("size", l.size());
      putSorted(o.putObject("annotations"), Map.of(ModelPack.FILEPATH, l.path().value(), ModelPack.TITLE, l.path().value()));
    }
    putSorted(root.putObject("annotations"), annotations(published, created));
    byte[] manifest = line(root);
    return new ModelPackArtifact(manifest, Hashing.sha256(manifest), config, configDigest, layers);
  }

  /** The model as published: with its creation time, and a licence URL other machines can open. */
  private static Manifest published(Manifest model, String created) {
    Map<String, String> annotations = new TreeMap<>(model.annotations());
    annotations.put(ModelPack.CREATED, created);
    License license = model.license();
    if (!license.url().getScheme().startsWith("http")) {
      license = new License(license.spdx(), ModelPack.spdxPage(license.spdx()), license.attribution());
    }
    return new Manifest(model.name(), model.version(), model.description(), model.tasks(), model.engine(), license,
        model.files(), model.demo(), annotations);
  }

  private static Map<String, String> mediaTypes(Manifest model) {
    String json = model.annotations().get(ModelPack.MEDIA_TYPES);
    Map<String, String> out = new LinkedHashMap<>();
    if (json == null) {
      return out;
    }
    try {
      for (Node.Member m : Json.parse(json.getBytes(StandardCharsets.UTF_8), 64 * 1024, ModelPack.MEDIA_TYPES).members(Manifest.MAX_FILES)) {
        String type = m.value().text();
        if (LayerType.parse(type).filter(t -> !t.packed()).isPresent()) {
          out.put(m.key(), type);
        }
      }
    } catch (JsonProblem p) {
      return Map.of(); // a damaged hint: fall back to guessing from names
    }
    return out;
  }

  private static ModelPackConfig config(Manifest model, List<LayerRef> layers, String created) {
    Map<String, String> a = model.annotations();
    Set<String> in = new LinkedHashSet<>();
    Set<String> out = new LinkedHashSet<>();
    Set<String> languages = new LinkedHashSet<>();
    for (TaskSpec t : model.tasks()) {
      switch (t.task()) {
        case VAD -> { in.add("audio"); out.add("other"); }
        case ASR, SPEECH_TRANSLATE -> { in.add("audio"); out.add("text"); }
        case TRANSLATE -> { in.add("text"); out.add("text"); }
      }
      t.languages().forEach(l -> languages.add(l.code()));
      t.target().ifPresent(l -> languages.add(l.code()));
    }
    List<String> inputs = model.noTask() ? list(a.get(ModelPack.CONFIG_PREFIX + "input-types")) : List.copyOf(in);
    List<String> outputs = model.noTask() ? list(a.get(ModelPack.CONFIG_PREFIX + "output-types")) : List.copyOf(out);
    List<String> langs = model.noTask() ? list(a.get(ModelPack.CONFIG_PREFIX + "languages"))
        : languages.stream().filter(l -> l.length() == 2).toList();
    return new ModelPackConfig(Optional.of(created), Optional.of(model.name().value()), Optional.of(model.version().text()),
        opt(a, "family"), model.description().isEmpty() ? Optional.empty() : Optional.of(model.description()),
        opt(a, "doc-url"), opt(a, "source-url"), List.of(model.license().spdx()),
        opt(a, "architecture"), opt(a, "format").or(() -> Optional.of(format(model.engine().id()))), opt(a, "param-size"),
        opt(a, "precision"), opt(a, "quantization"), inputs, outputs, langs,
        layers.stream().map(LayerRef::digest).toList());
  }

  private static Optional<String> opt(Map<String, String> annotations, String field) {
    return Optional.ofNullable(annotations.get(ModelPack.CONFIG_PREFIX + field)).filter(s -> !s.isBlank());
  }

  private static List<String> list(String commaSeparated) {
    return commaSeparated == null || commaSeparated.isBlank() ? List.of() : List.of(commaSeparated.split(","));
  }

  private static Map<String, String> annotations(Manifest model, String created) {
    Map<String, String> a = new TreeMap<>();
    a.put(ModelPack.TITLE, model.name().value());
    a.put(ModelPack.VERSION, model.version().text());
    a.put(ModelPack.LICENSES, model.license().spdx());
    a.put(ModelPack.CREATED, created);
    if (!model.description().isEmpty()) {
      a.put("org.opencontainers.image.description", model.description());
      a.put(ModelPack.SOKO_DESCRIPTION, model.description());
    }
    ObjectNode canonical = (ObjectNode) ManifestCodec.tree(model).raw();
    for (JsonNode f : canonical.get("files")) {
      ((ObjectNode) f).remove("sources");
    }
    a.put(ModelPack.SOKO_MANIFEST, Json.writeLine(canonical));
    a.put(ModelPack.SOKO_TASKS, Json.writeLine(canonical.get("tasks")));
    a.put(ModelPack.SOKO_ENGINE, Json.writeLine(canonical.get("engine")));
    a.put(ModelPack.SOKO_LICENSE_URL, model.license().url().toString());
    if (!model.license().attribution().isEmpty()) {
      a.put(ModelPack.SOKO_ATTRIBUTION, model.license().attribution());
    }
    if (model.demo()) {
      a.put(ModelPack.SOKO_DEMO, "true");
    }
    return a;
  }

  /** The ModelPack format name for an engine id. */
  private static String format(String engineId) {
    String e = engineId.toLowerCase(Locale.ROOT);
    if (e.contains("whisper") || e.contains("ggml") || e.contains("llama")) {
      return "ggml";
    }
    if (e.contains("onnx")) {
      return "onnx";
    }
    return "other";
  }

  private static void putSorted(ObjectNode o, Map<String, String> values) {
    new TreeMap<>(values).forEach(o::put);
  }

  private static byte[] line(JsonNode tree) {
    return Json.writeLine(tree).getBytes(StandardCharsets.UTF_8);
  }
}
