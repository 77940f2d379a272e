package soko.acquisition.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ManifestException;
import soko.manifest.ModelFile;
import soko.manifest.RelativePath;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * Converts between a Soko {@link Manifest} and a CNCF ModelPack artifact (model-spec v0.0.7+).
 *
 * <p><b>Writing</b> ({@link #write}) gives an OCI image manifest with {@code artifactType}
 * {@value #ARTIFACT_TYPE}, a config of type {@value #CONFIG_TYPE}, and one uncompressed
 * {@code .raw} layer per file, in the order weights, weight configs, docs (manifest order within
 * each group). Each layer carries {@value #FILEPATH} and {@code org.opencontainers.image.title}.
 * The licence text, when given and not already a file named {@code LICENSE}, is an extra doc layer
 * whose filepath is {@code LICENSE}. Soko-only fields go into manifest annotations under
 * {@value #PREFIX}; {@value #SOKO_MANIFEST} holds the canonical Soko manifest without its
 * {@code sources} (sources say where bytes were, not what they are), which makes the round trip
 * lossless apart from the sources. Output is deterministic: fixed key order, annotations sorted,
 * no whitespace, and a fixed {@code createdAt} ({@value #FIXED_CREATED}, or the model's
 * {@code org.opencontainers.image.created} annotation), so the same model always has the same
 * manifest digest.
 *
 * <p><b>Reading</b> ({@link #read}) takes the bytes as received (never re-serialised), checks the
 * ModelPack media types, validates every filepath as a {@link RelativePath} and sets each file's
 * source to {@code oci://REGISTRY/REPOSITORY@<layer digest>}. Thread-safe; no I/O.
 */
public final class ModelPack {
  public static final String ARTIFACT_TYPE = "application/vnd.cncf.model.manifest.v1+json";
  public static final String CONFIG_TYPE = "application/vnd.cncf.model.config.v1+json";
  public static final String WEIGHT = "application/vnd.cncf.model.weight.v1.raw";
  public static final String WEIGHT_CONFIG = "application/vnd.cncf.model.weight.config.v1.raw";
  public static final String DOC = "application/vnd.cncf.model.doc.v1.raw";
  public static final String FILEPATH = "org.cncf.model.filepath";
  public static final String TITLE = "org.opencontainers.image.title";
  public static final String PREFIX = "dev.soko.";
  public static final String SOKO_MANIFEST = "dev.soko.manifest";
  public static final String SOKO_TASKS = "dev.soko.tasks";
  public static final String SOKO_ENGINE = "dev.soko.engine";
  public static final String SOKO_DEMO = "dev.soko.demo";
  public static final String SOKO_DESCRIPTION = "dev.soko.description";
  public static final String SOKO_LICENSE_URL = "dev.soko.license.url";
  public static final String SOKO_ATTRIBUTION = "dev.soko.license.attribution";
  public static final String CREATED = "org.opencontainers.image.created";
  public static final String FIXED_CREATED = "1970-01-01T00:00:00Z";
  /** The filepath of the licence text layer; Harbor shows a doc layer with this exact path. */
  public static final String LICENSE_PATH = "LICENSE";

  private static final Set<String> READABLE_LAYERS = Set.of(WEIGHT, WEIGHT_CONFIG, DOC,
      "application/vnd.cncf.model.code.v1.raw", "application/vnd.cncf.model.dataset.v1.raw");
  private static final Set<String> CONFIG_EXTENSIONS = Set.of("json", "txt", "model", "vocab", "spm", "yaml", "yml",
      "tiktoken", "merges", "tok", "jinja");
  private static final Set<String> DOC_EXTENSIONS = Set.of("md", "pdf", "html", "rst");
  private static final List<String> DOC_PREFIXES = List.of("LICENSE", "LICENCE", "COPYING", "NOTICE", "README", "AUTHORS", "CITATION");

  private ModelPack() {}

  /**
   * Writes {@code model} as a ModelPack artifact.
   *
   * @param licenseText size and sha256 of the licence text, added as a {@code LICENSE} doc layer
   *     unless the model already has a file with that path (which then is the licence layer)
   */
  public static ModelPackArtifact write(Manifest model, Optional<Hashing.Measured> licenseText) {
    List<LayerRef> layers = new ArrayList<>();
    for (String type : List.of(WEIGHT, WEIGHT_CONFIG, DOC)) {
      for (ModelFile f : model.files()) {
        if (layerType(f.path()).equals(type)) {
          layers.add(new LayerRef(type, f.sha256(), f.size(), f.path()));
        }
      }
    }
    if (licenseText.isPresent() && model.file(LICENSE_PATH).isEmpty()) {
      boolean clash = model.files().stream().anyMatch(f -> f.path().caseFoldKey().equals("license"));
      if (!clash) {
        layers.add(new LayerRef(DOC, licenseText.get().digest(), licenseText.get().size(), RelativePath.parse(LICENSE_PATH)));
      }
    }
    String created = model.annotations().getOrDefault(CREATED, FIXED_CREATED);
    byte[] config = line(config(model, layers, created));
    Digest configDigest = Hashing.sha256(config);

    ObjectNode root = Json.object();
    root.put("schemaVersion", 2);
    root.put("mediaType", ImageManifest.OCI_MANIFEST);
    root.put("artifactType", ARTIFACT_TYPE);
    ObjectNode cfg = root.putObject("config");
    cfg.put("mediaType", CONFIG_TYPE);
    cfg.put("digest", configDigest.toString());
    cfg.put("size", config.length);
    ArrayNode ls = root.putArray("layers");
    for (LayerRef l : layers) {
      ObjectNode o = ls.addObject();
      o.put("mediaType", l.mediaType());
      o.put("digest", l.digest().toString());
      o.put("size", l.size());
      putSorted(o.putObject("annotations"), Map.of(FILEPATH, l.path().value(), TITLE, l.path().value()));
    }
    putSorted(root.putObject("annotations"), annotations(model, created));
    byte[] manifest = line(root);
    return new ModelPackArtifact(manifest, Hashing.sha256(manifest), config, configDigest, layers);
  }

  private static ObjectNode config(Manifest model, List<LayerRef> layers, String created) {
    ObjectNode root = Json.object();
    ObjectNode d = root.putObject("descriptor");
    d.put("createdAt", created);
    d.put("name", model.name().value());
    d.put("version", model.version().text());
    if (!model.description().isEmpty()) {
      d.put("description", model.description());
    }
    d.putArray("licenses").add(model.license().spdx());
    ObjectNode c = root.putObject("config");
    c.put("format", format(model.engine().id()));
    ObjectNode caps = c.putObject("capabilities");
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
    in.forEach(caps.putArray("inputTypes")::add);
    out.forEach(caps.putArray("outputTypes")::add);
    List<String> twoLetter = languages.stream().filter(l -> l.length() == 2).toList();
    if (!twoLetter.isEmpty()) {
      twoLetter.forEach(caps.putArray("languages")::add);
    }
    ObjectNode fs = root.putObject("modelfs");
    fs.put("type", "layers");
    ArrayNode ids = fs.putArray("diffIds");
    layers.forEach(l -> ids.add(l.digest().toString()));
    return root;
  }

  private static Map<String, String> annotations(Manifest model, String created) {
    Map<String, String> a = new TreeMap<>();
    a.put("org.opencontainers.image.title", model.name().value());
    a.put("org.opencontainers.image.version", model.version().text());
    a.put("org.opencontainers.image.licenses", model.license().spdx());
    a.put(CREATED, created);
    if (!model.description().isEmpty()) {
      a.put("org.opencontainers.image.description", model.description());
      a.put(SOKO_DESCRIPTION, model.description());
    }
    ObjectNode canonical = (ObjectNode) ManifestCodec.tree(model).raw();
    for (JsonNode f : canonical.get("files")) {
      ((ObjectNode) f).remove("sources");
    }
    a.put(SOKO_MANIFEST, Json.writeLine(canonical));
    a.put(SOKO_TASKS, Json.writeLine(canonical.get("tasks")));
    a.put(SOKO_ENGINE, Json.writeLine(canonical.get("engine")));
    a.put(SOKO_LICENSE_URL, model.license().url().toString());
    if (!model.license().attribution().isEmpty()) {
      a.put(SOKO_ATTRIBUTION, model.license().attribution());
    }
    if (model.demo()) {
      a.put(SOKO_DEMO, "true");
    }
    return a;
  }

  /** The ModelPack format name for an engine id. */
  static String format(String engineId) {
    String e = engineId.toLowerCase(Locale.ROOT);
    if (e.contains("whisper") || e.contains("ggml") || e.contains("llama")) {
      return "ggml";
    }
    if (e.contains("onnx")) {
      return "onnx";
    }
    return "other";
  }

  /** Which ModelPack layer type a file is: weight by default, weight config for tokenizers and configs, doc for licences and readmes. */
  static String layerType(RelativePath path) {
    String name = path.fileName();
    String upper = name.toUpperCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    if (DOC_PREFIXES.stream().anyMatch(upper::startsWith) || DOC_EXTENSIONS.contains(ext)) {
      return DOC;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (CONFIG_EXTENSIONS.contains(ext) || lower.startsWith("tokenizer") || lower.startsWith("vocab")) {
      return WEIGHT_CONFIG;
    }
    return WEIGHT;
  }

  /**
   * Reads a ModelPack artifact into a Soko manifest.
   *
   * @param manifest the manifest bytes exactly as served; the caller has verified their digest
   * @param digest their digest
   * @param config the config blob; the caller has verified it against the manifest's config descriptor
   * @param reference where the artifact lives; names the files' sources
   * @throws OciFormatException when the artifact is not a ModelPack Soko can read, a filepath is
   *     unsafe, or the embedded Soko manifest disagrees with the layers
   */
  public static PulledManifest read(byte[] manifest, Digest digest, byte[] config, OciReference reference) throws OciFormatException {
    String where = reference.withDigest(digest).toString();
    ImageManifest m = ImageManifest.parse(manifest, where);
    boolean modelPack = m.artifactType().map(ARTIFACT_TYPE::equals)
        .orElse(m.config().mediaType().equals(CONFIG_TYPE));
    if (!modelPack || !m.config().mediaType().equals(CONFIG_TYPE)) {
      throw new OciFormatException(where + " is not a ModelPack model (artifactType "
          + m.artifactType().orElse("absent") + ", config " + m.config().mediaType() + "); push it as a ModelPack ("
          + ARTIFACT_TYPE + ")");
    }
    List<LayerRef> layers = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < m.layers().size(); i++) {
      ImageManifest.Descriptor l = m.layers().get(i);
      if (!READABLE_LAYERS.contains(l.mediaType())) {
        throw new OciFormatException(where + ": layer " + i + " has media type " + l.mediaType()
            + ", which Soko cannot unpack; only uncompressed .raw ModelPack layers are supported");
      }
      String raw = l.annotations().get(FILEPATH);
      if (raw == null) {
        throw new OciFormatException(where + ": layer " + i + " has no " + FILEPATH + " annotation, so Soko cannot name its file");
      }
      RelativePath path;
      try {
        path = RelativePath.parse(raw);
      } catch (IllegalArgumentException e) {
        throw new OciFormatException(where + ": layer " + i + " has the unsafe path \"" + shorten(raw) + "\", refused: "
            + e.getMessage(), e);
      }
      if (!seen.add(path.caseFoldKey())) {
        throw new OciFormatException(where + ": two layers have the path \"" + path + "\"");
      }
      layers.add(new LayerRef(l.mediaType(), l.digest(), l.size(), path));
    }
    ObjectNode tree = sokoManifestTree(m, config, where);
    Map<String, LayerRef> byPath = new TreeMap<>();
    layers.forEach(l -> byPath.put(l.path().value(), l));
    JsonNode files = tree.get("files");
    if (files != null && files.isArray()) {
      for (JsonNode f : files) {
        if (f instanceof ObjectNode o && o.get("sha256") != null && o.get("sha256").isTextual()) {
          ArrayNode sources = o.putArray("sources");
          sources.add(reference.blobUri(Digest.ofHex(safeHex(o.get("sha256").textValue(), where))));
        }
      }
    }
    Manifest model;
    try {
      model = ManifestCodec.parse(Json.write(tree), where);
    } catch (ManifestException e) {
      throw new OciFormatException(where + ": the Soko manifest in the artifact is invalid: " + e.getMessage(), e);
    }
    Optional<LayerRef> licenseText = Optional.empty();
    Set<String> listed = new java.util.HashSet<>();
    for (ModelFile f : model.files()) {
      listed.add(f.path().value());
      LayerRef l = byPath.get(f.path().value());
      if (l == null) {
        throw new OciFormatException(where + ": the model lists " + f.path() + " but no layer has that path");
      }
      if (!l.digest().equals(f.sha256()) || l.size() != f.size()) {
        throw new OciFormatException(where + ": the layer for " + f.path() + " is " + l.digest() + " (" + l.size()
            + " bytes) but the model says sha256:" + f.sha256().hex() + " (" + f.size() + " bytes)");
      }
    }
    for (LayerRef l : layers) {
      if (!listed.contains(l.path().value())) {
        if (l.path().value().equals(LICENSE_PATH) && l.mediaType().equals(DOC)) {
          licenseText = Optional.of(l);
        } else {
          throw new OciFormatException(where + ": layer " + l.path() + " is not one of the model's files");
        }
      }
    }
    return new PulledManifest(reference.withDigest(digest), manifest, digest, model, layers, licenseText);
  }

  private static String safeHex(String hex, String where) throws OciFormatException {
    try {
      return Digest.ofHex(hex).hex();
    } catch (IllegalArgumentException e) {
      throw new OciFormatException(where + ": a file's sha256 is not valid: " + e.getMessage(), e);
    }
  }

  /** The Soko manifest JSON: the embedded one when present, otherwise assembled from the config and annotations. */
  private static ObjectNode sokoManifestTree(ImageManifest m, byte[] config, String where) throws OciFormatException {
    String embedded = m.annotations().get(SOKO_MANIFEST);
    if (embedded != null) {
      try {
        Node n = Json.parse(embedded.getBytes(StandardCharsets.UTF_8), ManifestCodec.MAX_BYTES, "Soko manifest");
        if (n.raw() instanceof ObjectNode o) {
          return o;
        }
        throw n.problem("expected an object");
      } catch (JsonProblem p) {
        throw new OciFormatException(where + ": the " + SOKO_MANIFEST + " annotation is invalid at "
            + (p.pointer().isEmpty() ? "/" : p.pointer()) + ": " + p.problem(), p);
      }
    }
    return assemble(m, config, where);
  }

  /** A Soko manifest tree for a ModelPack written by another tool, from its config and any dev.soko.* annotations. */
  private static ObjectNode assemble(ImageManifest m, byte[] config, String where) throws OciFormatException {
    try {
      Node cfg = Json.parse(config, ImageManifest.MAX_BYTES, "ModelPack config");
      Node desc = cfg.get("descriptor");
      ObjectNode root = Json.object();
      root.put("schemaVersion", ManifestCodec.SCHEMA_VERSION);
      root.put("name", desc.get("name").text());
      root.put("version", desc.get("version").text());
      String description = m.annotations().getOrDefault(SOKO_DESCRIPTION,
          desc.opt("description").isPresent() ? desc.get("description").text() : "");
      if (!description.isEmpty()) {
        root.put("description", description);
      }
      String tasks = m.annotations().get(SOKO_TASKS);
      if (tasks == null) {
        throw new OciFormatException(where + " is a ModelPack without Soko metadata: it does not say which task it performs;"
            + " add the annotation " + SOKO_TASKS + ", e.g. [{\"task\":\"asr\",\"languages\":[\"ja\"]}]");
      }
      root.set("tasks", Json.parse(tasks.getBytes(StandardCharsets.UTF_8), 64 * 1024, SOKO_TASKS).raw());
      String engine = m.annotations().get(SOKO_ENGINE);
      if (engine != null) {
        root.set("engine", Json.parse(engine.getBytes(StandardCharsets.UTF_8), 4096, SOKO_ENGINE).raw());
      } else {
        String format = cfg.get("config").opt("format").isPresent() ? cfg.get("config").get("format").text() : "";
        String id = switch (format) {
          case "ggml" -> "whisper.cpp";
          case "onnx" -> "onnxruntime";
          default -> throw new OciFormatException(where + ": Soko has no engine for the format \"" + format
              + "\"; add the annotation " + SOKO_ENGINE + ", e.g. {\"id\":\"onnxruntime\",\"version\":\"*\"}");
        };
        root.putObject("engine").put("id", id);
      }
      ObjectNode lic = root.putObject("license");
      List<String> spdx = new ArrayList<>();
      if (desc.opt("licenses").isPresent()) {
        for (Node l : desc.get("licenses").array(16)) {
          spdx.add(l.text());
        }
      }
      String url = m.annotations().get(SOKO_LICENSE_URL);
      if (spdx.isEmpty() || url == null) {
        throw new OciFormatException(where + ": the model does not name its licence; set descriptor.licenses in the config and the"
            + " annotation " + SOKO_LICENSE_URL);
      }
      lic.put("spdx", String.join(" AND ", spdx));
      lic.put("url", url);
      lic.put("attribution", m.annotations().getOrDefault(SOKO_ATTRIBUTION, ""));
      ArrayNode files = root.putArray("files");
      for (ImageManifest.Descriptor l : m.layers()) {
        String path = l.annotations().getOrDefault(FILEPATH, "");
        if (path.equals(LICENSE_PATH) && l.mediaType().equals(DOC) && m.layers().size() > 1) {
          continue;
        }
        ObjectNode f = files.addObject();
        f.put("path", path);
        f.put("size", l.size());
        f.put("sha256", l.digest().hex());
      }
      if ("true".equals(m.annotations().get(SOKO_DEMO))) {
        root.put("demo", true);
      }
      return root;
    } catch (JsonProblem p) {
      throw new OciFormatException(where + ": bad ModelPack config at " + (p.pointer().isEmpty() ? "/" : p.pointer())
          + ": " + p.problem(), p);
    }
  }

  private static void putSorted(ObjectNode o, Map<String, String> values) {
    new TreeMap<>(values).forEach(o::put);
  }

  private static byte[] line(JsonNode tree) {
    return Json.writeLine(tree).getBytes(StandardCharsets.UTF_8);
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
