package soko.acquisition.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.Language;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * Converts between a Soko {@link Manifest} and a CNCF ModelPack artifact (model-spec v0.0.7+): the
 * one place that knows the ModelPack media types, annotations and layout.
 *
 * <p><b>Writing</b> ({@link #write}) gives an OCI image manifest with {@code artifactType}
 * {@value #ARTIFACT_TYPE}, a config of type {@value #CONFIG_TYPE} ({@link ModelPackConfig}), and
 * one uncompressed {@code .raw} layer per file, in the order weights, weight configs, docs, code,
 * datasets (manifest order within each group). Each layer carries {@value #FILEPATH} and
 * {@value #TITLE}. A file's layer type is the one it was published with (kept in {@value
 * #MEDIA_TYPES} when a model came from a registry), else guessed from its name. The licence text,
 * when given and not already a file named {@code LICENSE}, is an extra doc layer. Soko-only fields
 * go into manifest annotations under {@value #PREFIX}; {@value #SOKO_MANIFEST} holds the canonical
 * Soko manifest without its {@code sources}. {@code createdAt} is the model's {@value #CREATED}
 * annotation (kept from a pull) or else the push time, which is then written into the embedded
 * manifest too, so pulling and pushing again gives the same bytes. A {@code bundled:} licence URL,
 * which no other machine can open, is published as the licence's SPDX page.
 *
 * <p><b>Reading</b> ({@link #read}) takes the bytes as received (never re-serialised) and accepts
 * any ModelPack: the artifact type or config type of the spec; layers of every kind ({@code
 * weight}, {@code weight.config}, {@code doc}, {@code code}, {@code dataset}) as {@code raw},
 * {@code tar} or {@code tar+gzip}; a file's path from {@value #FILEPATH}, else {@value #TITLE}
 * (ORAS), else a name made from the layer's kind and digest. Name and version come from the
 * config's {@code descriptor}, then the manifest's title and version annotations, then the
 * reference; the licence from {@code descriptor.licenses}. The task comes from Soko's annotation,
 * or from the config when it says so unambiguously (audio in, text out, languages listed, a
 * whisper.cpp model: speech recognition); otherwise the model is read in the "no task" state.
 * Packed layers are unpacked by the caller ({@link LayerArchive}) and joined with {@link
 * PulledManifest#complete}. Thread-safe; no I/O.
 */
public final class ModelPack {
  public static final String ARTIFACT_TYPE = "application/vnd.cncf.model.manifest.v1+json";
  public static final String CONFIG_TYPE = "application/vnd.cncf.model.config.v1+json";
  private static final String LAYER_PREFIX = "application/vnd.cncf.model.";
  public static final String WEIGHT = "application/vnd.cncf.model.weight.v1.raw";
  public static final String WEIGHT_CONFIG = "application/vnd.cncf.model.weight.config.v1.raw";
  public static final String DOC = "application/vnd.cncf.model.doc.v1.raw";
  public static final String CODE = "application/vnd.cncf.model.code.v1.raw";
  public static final String DATASET = "application/vnd.cncf.model.dataset.v1.raw";
  public static final String WEIGHT_TAR = "application/vnd.cncf.model.weight.v1.tar";
  public static final String WEIGHT_TAR_GZIP = "application/vnd.cncf.model.weight.v1.tar+gzip";
  /** The empty config of OCI artifacts without one (ORAS's default). */
  public static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";
  public static final String KITOPS_CONFIG = "application/vnd.kitops.modelkit.config.v1+json";
  public static final String FILEPATH = "org.cncf.model.filepath";
  public static final String TITLE = "org.opencontainers.image.title";
  public static final String VERSION = "org.opencontainers.image.version";
  public static final String LICENSES = "org.opencontainers.image.licenses";
  public static final String CREATED = "org.opencontainers.image.created";
  public static final String PREFIX = "dev.soko.";
  public static final String SOKO_MANIFEST = "dev.soko.manifest";
  public static final String SOKO_TASKS = "dev.soko.tasks";
  public static final String SOKO_ENGINE = "dev.soko.engine";
  public static final String SOKO_DEMO = "dev.soko.demo";
  public static final String SOKO_DESCRIPTION = "dev.soko.description";
  public static final String SOKO_LICENSE_URL = "dev.soko.license.url";
  public static final String SOKO_ATTRIBUTION = "dev.soko.license.attribution";
  /**
   * Model annotation: the layer media type of each file whose type is not the one {@link
   * #layerType} would guess, as a JSON object from path to media type (always {@code .raw}).
   */
  public static final String MEDIA_TYPES = "dev.soko.modelpack.media-types";
  /** Model annotations keeping the ModelPack config fields Soko has no field for, so a push writes them again. */
  public static final String CONFIG_PREFIX = "dev.soko.modelpack.";
  /** The engine id of a model whose format no Soko engine reads. */
  public static final String NO_ENGINE = "none";
  /** The filepath of the licence text layer; Harbor shows a doc layer with this exact path. */
  public static final String LICENSE_PATH = "LICENSE";

  /** The kinds of layer, in the order {@link #write} puts them. */
  static final List<String> KINDS = List.of("weight", "weight.config", "doc", "code", "dataset");
  private static final Pattern LAYER = Pattern.compile(
      "application/vnd\\.cncf\\.model\\.(weight|weight\\.config|doc|code|dataset)\\.v1\\.(raw|tar|tar\\+gzip|tar\\+zstd)");
  private static final Set<String> CONFIG_EXTENSIONS = Set.of("json", "txt", "model", "vocab", "spm", "yaml", "yml",
      "tiktoken", "merges", "tok", "jinja");
  private static final Set<String> DOC_EXTENSIONS = Set.of("md", "pdf", "html", "rst");
  private static final List<String> DOC_PREFIXES = List.of("LICENSE", "LICENCE", "COPYING", "NOTICE", "README", "AUTHORS", "CITATION");
  private static final Pattern SIMPLE_SPDX = Pattern.compile("[A-Za-z0-9.+\\-]+");
  private static final List<String> CONFIG_FIELDS = List.of("family", "architecture", "format", "param-size", "precision",
      "quantization", "input-types", "output-types", "languages", "doc-url", "source-url");

  /**
   * A ModelPack layer media type, {@code application/vnd.cncf.model.KIND.v1.PACKING}.
   *
   * @param kind {@code weight}, {@code weight.config}, {@code doc}, {@code code} or {@code dataset}
   * @param packing {@code raw}, {@code tar}, {@code tar+gzip} or {@code tar+zstd}
   */
  public record LayerType(String kind, String packing) {
    /** The parts of {@code mediaType}, or empty when it is not a ModelPack layer type. */
    public static Optional<LayerType> parse(String mediaType) {
      Matcher m = LAYER.matcher(mediaType);
      return m.matches() ? Optional.of(new LayerType(m.group(1), m.group(2))) : Optional.empty();
    }

    public String mediaType() {
      return LAYER_PREFIX + kind + ".v1." + packing;
    }

    /** True for a tar layer (of any compression), whose files are inside it. */
    public boolean packed() {
      return !packing.equals("raw");
    }

    /** The uncompressed single-file type of the same kind. */
    public LayerType raw() {
      return new LayerType(kind, "raw");
    }
  }

  private ModelPack() {}

  /**
   * Writes {@code model} as a ModelPack artifact.
   *
   * @param licenseText size and sha256 of the licence text, added as a {@code LICENSE} doc layer
   *     unless the model already has a file with that path (which then is the licence layer)
   * @param pushedAt {@code createdAt} when the model has no {@value #CREATED} annotation
   */
  public static ModelPackArtifact write(Manifest model, Optional<Hashing.Measured> licenseText, Instant pushedAt) {
    String created = model.annotations().getOrDefault(CREATED, pushedAt.truncatedTo(ChronoUnit.SECONDS).toString());
    Manifest published = published(model, created);
    Map<String, String> types = mediaTypes(published);
    List<LayerRef> layers = new ArrayList<>();
    for (String kind : KINDS) {
      for (ModelFile f : published.files()) {
        String type = types.getOrDefault(f.path().value(), layerType(f.path()));
        if (LayerType.parse(type).map(LayerType::kind).orElse("weight").equals(kind)) {
          layers.add(new LayerRef(type, f.sha256(), f.size(), f.path()));
        }
      }
    }
    if (licenseText.isPresent() && published.file(LICENSE_PATH).isEmpty()) {
      boolean clash = published.files().stream().anyMatch(f -> f.path().caseFoldKey().equals("license"));
      if (!clash) {
        layers.add(new LayerRef(DOC, licenseText.get().digest(), licenseText.get().size(), RelativePath.parse(LICENSE_PATH)));
      }
    }
    byte[] config = config(published, layers, created).toJson();
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
    putSorted(root.putObject("annotations"), annotations(published, created));
    byte[] manifest = line(root);
    return new ModelPackArtifact(manifest, Hashing.sha256(manifest), config, configDigest, layers);
  }

  /** The model as published: with its creation time, and a licence URL other machines can open. */
  private static Manifest published(Manifest model, String created) {
    Map<String, String> annotations = new TreeMap<>(model.annotations());
    annotations.put(CREATED, created);
    License license = model.license();
    if (!license.url().getScheme().startsWith("http")) {
      license = new License(license.spdx(), spdxPage(license.spdx()), license.attribution());
    }
    return new Manifest(model.name(), model.version(), model.description(), model.tasks(), model.engine(), license,
        model.files(), model.demo(), annotations);
  }

  /** The SPDX list's page of a licence, or the list itself for an expression. */
  public static URI spdxPage(String spdx) {
    return SIMPLE_SPDX.matcher(spdx).matches() && !spdx.equals("NOASSERTION")
        ? URI.create("https://spdx.org/licenses/" + spdx + ".html") : URI.create("https://spdx.org/licenses/");
  }

  private static Map<String, String> mediaTypes(Manifest model) {
    String json = model.annotations().get(MEDIA_TYPES);
    Map<String, String> out = new LinkedHashMap<>();
    if (json == null) {
      return out;
    }
    try {
      for (Node.Member m : Json.parse(json.getBytes(StandardCharsets.UTF_8), 64 * 1024, MEDIA_TYPES).members(Manifest.MAX_FILES)) {
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
    List<String> inputs = model.noTask() ? list(a.get(CONFIG_PREFIX + "input-types")) : List.copyOf(in);
    List<String> outputs = model.noTask() ? list(a.get(CONFIG_PREFIX + "output-types")) : List.copyOf(out);
    List<String> langs = model.noTask() ? list(a.get(CONFIG_PREFIX + "languages"))
        : languages.stream().filter(l -> l.length() == 2).toList();
    return new ModelPackConfig(Optional.of(created), Optional.of(model.name().value()), Optional.of(model.version().text()),
        opt(a, "family"), model.description().isEmpty() ? Optional.empty() : Optional.of(model.description()),
        opt(a, "doc-url"), opt(a, "source-url"), List.of(model.license().spdx()),
        opt(a, "architecture"), opt(a, "format").or(() -> Optional.of(format(model.engine().id()))), opt(a, "param-size"),
        opt(a, "precision"), opt(a, "quantization"), inputs, outputs, langs,
        layers.stream().map(LayerRef::digest).toList());
  }

  private static Optional<String> opt(Map<String, String> annotations, String field) {
    return Optional.ofNullable(annotations.get(CONFIG_PREFIX + field)).filter(s -> !s.isBlank());
  }

  private static List<String> list(String commaSeparated) {
    return commaSeparated == null || commaSeparated.isBlank() ? List.of() : List.of(commaSeparated.split(","));
  }

  private static Map<String, String> annotations(Manifest model, String created) {
    Map<String, String> a = new TreeMap<>();
    a.put(TITLE, model.name().value());
    a.put(VERSION, model.version().text());
    a.put(LICENSES, model.license().spdx());
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

  // ---------------------------------------------------------------- reading

  /**
   * Reads a ModelPack artifact.
   *
   * @param manifest the manifest bytes exactly as served; the caller has verified their digest
   * @param digest their digest
   * @param config the config blob; the caller has verified it against the manifest's config descriptor
   * @param reference where the artifact lives; names the files' sources
   * @throws OciFormatException when the artifact is not a ModelPack, a layer type is not one Soko
   *     unpacks, a path is unsafe or given twice, or the embedded Soko manifest disagrees with the layers
   */
  public static PulledManifest read(byte[] manifest, Digest digest, byte[] config, OciReference reference) throws OciFormatException {
    String where = reference.withDigest(digest).toString();
    ImageManifest m = ImageManifest.parse(manifest, where);
    checkIsModelPack(m, where);
    List<LayerRef> layers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < m.layers().size(); i++) {
      ImageManifest.Descriptor l = m.layers().get(i);
      int index = i;
      LayerType type = LayerType.parse(l.mediaType()).orElseThrow(() -> new OciFormatException(where + ": layer " + index
          + " has the media type " + l.mediaType() + ", which is not a ModelPack layer (" + LAYER_PREFIX
          + "{weight,weight.config,doc,code,dataset}.v1.{raw,tar,tar+gzip})"));
      if (type.packing().equals("tar+zstd")) {
        throw new OciFormatException(where + ": layer " + i + " is " + l.mediaType() + "; Soko unpacks raw, tar and tar+gzip"
            + " layers only, so repack it with one of those (zstd would need a native library)");
      }
      String raw = Optional.ofNullable(l.annotations().get(FILEPATH)).or(() -> Optional.ofNullable(l.annotations().get(TITLE)))
          .orElse(type.kind().replace('.', '-') + "-" + l.digest().hex().substring(0, 16));
      RelativePath path;
      try {
        path = RelativePath.parse(raw.endsWith("/") && type.packed() ? raw.substring(0, raw.length() - 1) : raw);
      } catch (IllegalArgumentException e) {
        throw new OciFormatException(where + ": layer " + i + " has the unsafe path \"" + shorten(raw) + "\", refused: "
            + e.getMessage(), e);
      }
      if (!type.packed() && !seen.add(path.caseFoldKey())) {
        throw new OciFormatException(where + ": two layers have the path \"" + path + "\"; refused, as one file would"
            + " silently replace the other");
      }
      layers.add(new LayerRef(l.mediaType(), l.digest(), l.size(), path));
    }
    if (m.annotations().containsKey(SOKO_MANIFEST)) {
      return readSoko(m, manifest, digest, layers, reference, where);
    }
    ModelPackConfig cfg = ModelPackConfig.parse(config, where);
    return new PulledManifest(reference.withDigest(digest), manifest, digest, layers, Optional.empty(),
        template(m, cfg, layers, reference, digest, where), where);
  }

  private static void checkIsModelPack(ImageManifest m, String where) throws OciFormatException {
    String config = m.config().mediaType();
    if (config.equals(CONFIG_TYPE)) {
      return; // KitOps reads by the config type too: a missing or other artifactType is tolerated
    }
    String artifact = m.artifactType().orElse("absent");
    String head = where + " is not a ModelPack model (artifactType " + artifact + ", config " + config + ")";
    String how;
    if (artifact.equals(ARTIFACT_TYPE)) {
      how = ": its artifactType says ModelPack but the spec requires the config " + CONFIG_TYPE + "; push it again with that config";
    } else if (config.equals(EMPTY_CONFIG)) {
      how = ": an artifact with an empty config, as `oras push` makes by default, says nothing about the model; push it again"
          + " with `oras push --artifact-type " + ARTIFACT_TYPE + " --config config.json:" + CONFIG_TYPE + " FILE:"
          + WEIGHT + " …`, or build it with modctl or `kit pack --use-model-pack`";
    } else if (config.equals(KITOPS_CONFIG)) {
      how = ": it is a KitOps ModelKit in KitOps's own format; pack it as a ModelPack with `kit pack --use-model-pack`";
    } else if (config.startsWith("application/vnd.docker.ai.model.config")) {
      how = ": it is in Docker Model Runner's own format; package it as a ModelPack with `docker model package --format cncf`";
    } else {
      how = "; push it as a ModelPack (" + ARTIFACT_TYPE + ")";
    }
    throw new OciFormatException(head + how);
  }

  /** An artifact written by Soko: the embedded manifest is the model, and every layer must match it. */
  private static PulledManifest readSoko(ImageManifest m, byte[] bytes, Digest digest, List<LayerRef> layers, OciReference reference,
      String where) throws OciFormatException {
    ObjectNode tree;
    try {
      Node n = Json.parse(m.annotations().get(SOKO_MANIFEST).getBytes(StandardCharsets.UTF_8), ManifestCodec.MAX_BYTES, "Soko manifest");
      if (!(n.raw() instanceof ObjectNode o)) {
        throw n.problem("expected an object");
      }
      tree = o;
    } catch (JsonProblem p) {
      throw new OciFormatException(where + ": the " + SOKO_MANIFEST + " annotation is invalid at "
          + (p.pointer().isEmpty() ? "/" : p.pointer()) + ": " + p.problem(), p);
    }
    for (LayerRef l : layers) {
      if (LayerType.parse(l.mediaType()).orElseThrow().packed()) {
        throw new OciFormatException(where + ": layer " + l.path() + " is " + l.mediaType() + ", but Soko's own artifacts have"
            + " raw layers only; it was altered after Soko pushed it");
      }
    }
    JsonNode files = tree.get("files");
    if (files != null && files.isArray()) {
      for (JsonNode f : files) {
        if (f instanceof ObjectNode o && o.get("sha256") != null && o.get("sha256").isTextual()) {
          o.putArray("sources").add(reference.blobUri(Digest.ofHex(safeHex(o.get("sha256").textValue(), where))));
        }
      }
    }
    Manifest model = parse(tree, where);
    Map<String, LayerRef> byPath = new TreeMap<>();
    layers.forEach(l -> byPath.put(l.path().value(), l));
    Set<String> listed = new HashSet<>();
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
    Optional<LayerRef> licenseText = Optional.empty();
    for (LayerRef l : layers) {
      if (!listed.contains(l.path().value())) {
        if (l.path().value().equals(LICENSE_PATH) && l.mediaType().equals(DOC)) {
          licenseText = Optional.of(l);
        } else {
          throw new OciFormatException(where + ": layer " + l.path() + " is not one of the model's files");
        }
      }
    }
    return new PulledManifest(reference.withDigest(digest), bytes, digest, layers, licenseText,
        new PulledManifest.Template(tree, List.of(), List.of(), Optional.empty(), true), where);
  }

  static Manifest parse(ObjectNode tree, String where) throws OciFormatException {
    try {
      return ManifestCodec.parse(Json.write(tree), where);
    } catch (soko.manifest.ManifestException e) {
      throw new OciFormatException(where + ": the model in the artifact is invalid: " + e.getMessage(), e);
    }
  }

  private static String safeHex(String hex, String where) throws OciFormatException {
    try {
      return Digest.ofHex(hex).hex();
    } catch (IllegalArgumentException e) {
      throw new OciFormatException(where + ": a file's sha256 is not valid: " + e.getMessage(), e);
    }
  }

  /**
   * The Soko manifest of a ModelPack written by another tool, except the files of packed layers:
   * from the config, the manifest's annotations and the reference, with any {@code dev.soko.*}
   * annotations winning.
   */
  private static PulledManifest.Template template(ImageManifest m, ModelPackConfig cfg, List<LayerRef> layers, OciReference reference,
      Digest digest, String where) throws OciFormatException {
    Map<String, String> ann = m.annotations();
    ObjectNode root = Json.object();
    root.put("schemaVersion", ManifestCodec.SCHEMA_VERSION);
    root.put("name", name(cfg, ann, reference));
    root.put("version", version(cfg, ann, reference, digest));
    String description = Optional.ofNullable(ann.get(SOKO_DESCRIPTION)).or(cfg::description)
        .or(() -> Optional.ofNullable(ann.get("org.opencontainers.image.description"))).orElse("");
    if (!description.isEmpty()) {
      root.put("description", description.length() > 4096 ? description.substring(0, 4096) : description);
    }
    // engine
    String engineId;
    if (ann.containsKey(SOKO_ENGINE)) {
      root.set("engine", jsonAnnotation(ann, SOKO_ENGINE, where));
      engineId = root.get("engine").path("id").asText("");
    } else {
      engineId = engine(cfg, layers);
      root.putObject("engine").put("id", engineId);
    }
    // tasks
    Optional<String> noTask = Optional.empty();
    if (ann.containsKey(SOKO_TASKS)) {
      root.set("tasks", jsonAnnotation(ann, SOKO_TASKS, where));
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
    List<String> spdx = cfg.licenses().isEmpty() ? Optional.ofNullable(ann.get(LICENSES)).map(List::of).orElse(List.of())
        : cfg.licenses();
    String expression = spdxExpression(spdx);
    ObjectNode lic = root.putObject("license");
    lic.put("spdx", expression);
    String url = Optional.ofNullable(ann.get(SOKO_LICENSE_URL))
        .or(() -> expression.equals("NOASSERTION") ? cfg.docUrl().filter(u -> u.startsWith("https://")) : Optional.empty())
        .orElse(spdxPage(expression).toString());
    lic.put("url", url);
    lic.put("attribution", ann.getOrDefault(SOKO_ATTRIBUTION, ""));
    if ("true".equals(ann.get(SOKO_DEMO))) {
      root.put("demo", true);
    }
    // what a push must write again
    ObjectNode keep = root.putObject("annotations");
    cfg.createdAt().or(() -> Optional.ofNullable(ann.get(CREATED))).ifPresent(c -> keep.put(CREATED, c));
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
    value.filter(v -> v.length() <= 4096).ifPresent(v -> o.put(field.equals(CREATED) ? field : CONFIG_PREFIX + field, v));
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
    Optional.ofNullable(ann.get(TITLE)).ifPresent(candidates::add);
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
    Optional.ofNullable(ann.get(VERSION)).ifPresent(candidates::add);
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
        : licenses.stream().allMatch(l -> SIMPLE_SPDX.matcher(l).matches()) ? String.join(" AND ", licenses)
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

  /** The engine the config's format or the weight files point to, or {@value #NO_ENGINE}. */
  private static String engine(ModelPackConfig cfg, List<LayerRef> layers) {
    String format = cfg.format().orElse("").toLowerCase(Locale.ROOT);
    if (format.equals("ggml")) {
      return "whisper.cpp";
    }
    if (format.equals("onnx")) {
      return "onnxruntime";
    }
    if (!format.isEmpty()) {
      return NO_ENGINE;
    }
    List<String> weights = layers.stream().filter(l -> LayerType.parse(l.mediaType()).orElseThrow().kind().equals("weight"))
        .map(l -> l.path().fileName().toLowerCase(Locale.ROOT)).toList();
    if (!weights.isEmpty() && weights.stream().allMatch(w -> w.endsWith(".onnx") || w.endsWith(".onnx_data"))) {
      return "onnxruntime";
    }
    if (!weights.isEmpty() && weights.stream().allMatch(w -> w.startsWith("ggml-") && w.endsWith(".bin"))) {
      return "whisper.cpp";
    }
    return NO_ENGINE;
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
    return engineId.equals(NO_ENGINE)
        ? says + ", which no Soko engine reads"
        : says + ", which does not tell which task it performs";
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
