package soko.manifest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.verification.Digest;

/**
 * Reads and writes manifest JSON, schema version 1 ({@code schemas/manifest-v1.schema.json}).
 *
 * <p>Reading is strict: unknown fields, unknown schema versions, duplicate keys, wrong types and
 * out-of-range values are refused with the JSON pointer of the bad value. Writing is canonical:
 * fixed key order, two-space indentation, a final newline. Thread-safe.
 */
public final class ManifestCodec {
  /** The only schema version this release reads and writes. */
  public static final int SCHEMA_VERSION = 1;
  /** A manifest larger than this is refused before parsing. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  private static final Set<String> TOP = Set.of("schemaVersion", "name", "version", "description", "tasks",
      "engine", "license", "files", "totalSize", "demo", "annotations");
  private static final Set<String> TASK = Set.of("task", "languages", "from", "to");
  private static final Set<String> ENGINE = Set.of("id", "version");
  private static final Set<String> LICENSE = Set.of("spdx", "url", "attribution");
  private static final Set<String> FILE = Set.of("path", "size", "sha256", "sources", "chunks");
  private static final Set<String> CHUNKS = Set.of("size", "sha256");

  private ManifestCodec() {}

  /**
   * Parses a manifest.
   *
   * @param json the manifest's UTF-8 JSON, at most {@link #MAX_BYTES} bytes
   * @param source names the manifest in error messages, such as its path
   * @return the manifest, valid in every field
   * @throws ManifestException if the bytes are not JSON, are too large, or any field is unknown,
   *     missing or invalid (the message names its JSON pointer and what would be valid)
   */
  public static Manifest parse(byte[] json, String source) throws ManifestException {
    try {
      return read(Json.parse(json, MAX_BYTES, "manifest"));
    } catch (JsonProblem p) {
      throw new ManifestException(source, p.pointer(), p.problem(), p);
    }
  }

  /**
   * Reads an already parsed manifest, e.g. one embedded in a catalog. Not API: public for
   * soko-core's catalog and OCI code only; {@code Node} is in {@code soko.internal.json}, which the
   * module does not export, so no other module can call it.
   *
   * @param root the manifest's JSON tree
   * @return the manifest
   * @throws JsonProblem naming the JSON pointer of the first bad field
   */
  @SuppressWarnings("exports")
  public static Manifest read(Node root) throws JsonProblem {
    root.object(TOP);
    long schema = root.get("schemaVersion").integer(0, Integer.MAX_VALUE);
    if (schema != SCHEMA_VERSION) {
      throw root.get("schemaVersion").problem("schema version " + schema + " is not supported; this Soko reads version "
          + SCHEMA_VERSION + (schema > SCHEMA_VERSION ? " (upgrade Soko to read newer manifests)" : ""));
    }
    ModelName name = root.get("name").parse(ModelName::parse, "a lower-case id such as whisper-base");
    Version version = root.get("version").parse(Version::parse, "a semver version such as 1.0.0");
    String description = "";
    Optional<Node> d = root.opt("description");
    if (d.isPresent()) {
      description = d.get().text();
      if (description.length() > 4096) {
        throw d.get().problem("has " + description.length() + " characters; at most 4096 are allowed");
      }
    }
    Node tasksNode = root.get("tasks");
    List<TaskSpec> tasks = tasksNode.list(16, ManifestCodec::readTask);
    // An empty list is the "no task" state (see Manifest): installed and verified, never run.
    Node engine = root.get("engine").object(ENGINE);
    EngineRequirement engineReq;
    String engineId = engine.get("id").text();
    VersionRange range = engine.opt("version").isPresent()
        ? engine.get("version").parse(VersionRange::parse, "\"*\" or comparators such as \">=1.20 <2\"")
        : VersionRange.ANY;
    try {
      engineReq = new EngineRequirement(engineId, range);
    } catch (IllegalArgumentException e) {
      throw engine.get("id").problem(e.getMessage());
    }
    Node lic = root.get("license").object(LICENSE);
    String spdx = lic.get("spdx").text();
    URI url = lic.get("url").parse(URI::create, "an https: URL of the licence text");
    String attribution = lic.opt("attribution").isPresent() ? lic.get("attribution").text() : "";
    License license;
    try {
      license = new License(spdx, url, attribution);
    } catch (IllegalArgumentException e) {
      String field = e.getMessage().contains("SPDX") ? "spdx" : e.getMessage().contains("URL") ? "url" : "attribution";
      throw lic.get(field).problem(e.getMessage());
    }
    Node filesNode = root.get("files");
    List<ModelFile> files = filesNode.list(Manifest.MAX_FILES, ManifestCodec::readFile);
    if (files.isEmpty()) {
      throw filesNode.problem("is empty; a model has at least one file");
    }
    String clash = Manifest.pathClash(files);
    if (clash != null) {
      throw filesNode.problem(clash);
    }
    Optional<Node> total = root.opt("totalSize");
    long sum = files.stream().mapToLong(ModelFile::size).sum();
    if (total.isPresent()) {
      long declared = total.get().integer(0, Long.MAX_VALUE);
      if (declared != sum) {
        throw total.get().problem("is " + declared + " but the files add up to " + sum + "; totalSize is derived, so fix it or leave it out");
      }
    }
    boolean demo = root.opt("demo").isPresent() && root.get("demo").bool();
    Map<String, String> annotations = new LinkedHashMap<>();
    Optional<Node> ann = root.opt("annotations");
    if (ann.isPresent()) {
      for (Node.Member m : ann.get().members(64)) {
        if (m.key().isEmpty() || m.key().length() > 128) {
          throw m.value().problem("annotation keys are 1 to 128 characters");
        }
        String v = m.value().text();
        if (v.length() > 4096) {
          throw m.value().problem("annotation values are at most 4096 characters");
        }
        annotations.put(m.key(), v);
      }
    }
    try {
      return new Manifest(name, version, description, tasks, engineReq, license, files, demo, annotations);
    } catch (IllegalArgumentException e) {
      throw root.problem(e.getMessage());
    }
  }

  private static TaskSpec readTask(Node n) throws JsonProblem {
    n.object(TASK);
    Task task = n.get("task").parse(Task::parse, "one of " + Task.known());
    List<Language> languages = new ArrayList<>();
    if (n.has("languages")) {
      languages.addAll(n.get("languages").list(64, l -> l.parse(Language::parse, "an ISO 639 code such as ja")));
    }
    if (n.has("from")) {
      Node from = n.get("from");
      if (from.raw().isArray()) {
        languages.addAll(from.list(64, l -> l.parse(Language::parse, "an ISO 639 code such as ja")));
      } else {
        languages.add(from.parse(Language::parse, "an ISO 639 code such as ja"));
      }
    }
    if (languages.stream().distinct().count() != languages.size()) {
      throw n.problem("lists a language twice");
    }
    Optional<Language> to = n.has("to")
        ? Optional.of(n.get("to").parse(Language::parse, "an ISO 639 code such as en"))
        : Optional.empty();
    try {
      return new TaskSpec(task, languages, to);
    } catch (IllegalArgumentException e) {
      throw n.problem(e.getMessage());
    }
  }

  private static ModelFile readFile(Node n) throws JsonProblem {
    n.object(FILE);
    RelativePath path = n.get("path").parse(RelativePath::parse, "a relative path inside the model, like weights/model.onnx");
    long size = n.get("size").integer(0, ModelFile.MAX_SIZE);
    Digest sha = n.get("sha256").parse(Digest::ofHex, "64 lower-case hex digits");
    Node sourcesNode = n.get("sources");
    List<SourceUri> sources = sourcesNode.list(ModelFile.MAX_SOURCES,
        s -> s.parse(SourceUri::parse, "a bundled:, file:, https:, http: or oci:// URI"));
    if (sources.isEmpty()) {
      throw sourcesNode.problem("is empty; give at least one source, such as an https: mirror");
    }
    Optional<ChunkDigests> chunks = n.has("chunks") ? Optional.of(readChunks(n.get("chunks"), size)) : Optional.empty();
    return new ModelFile(path, size, sha, sources, chunks);
  }

  private static ChunkDigests readChunks(Node n, long fileSize) throws JsonProblem {
    n.object(CHUNKS);
    Node sizeNode = n.get("size");
    long chunkSize = sizeNode.integer(ChunkDigests.MIN_SIZE, ChunkDigests.MAX_SIZE);
    String bad = ChunkDigests.sizeProblem(chunkSize);
    if (bad != null) {
      throw sizeNode.problem(bad);
    }
    Node list = n.get("sha256");
    List<Digest> digests = list.list(ChunkDigests.MAX_COUNT, d -> d.parse(Digest::ofHex, "64 lower-case hex digits"));
    long count = ChunkDigests.count(fileSize, chunkSize);
    if (count < 2) {
      throw n.problem("is given for a file of " + fileSize + " bytes, which is not longer than one chunk of " + chunkSize
          + "; leave it out");
    }
    if (digests.size() != count) {
      throw list.problem("lists " + digests.size() + " digests, but a " + fileSize + "-byte file has " + count
          + " chunks of " + chunkSize + " bytes");
    }
    return new ChunkDigests(chunkSize, digests);
  }

  /**
   * Writes a manifest canonically. {@code parse(write(m))} equals {@code m}.
   *
   * @param m the manifest
   * @return its UTF-8 JSON: fixed key order, two-space indentation, a final newline
   */
  public static byte[] write(Manifest m) {
    return Json.write(toJson(m));
  }

  /**
   * The canonical JSON tree of a manifest, for embedding in other documents (catalogs, OCI
   * annotations). Not API, like {@link #read(Node)}.
   *
   * @param m the manifest
   * @return its canonical JSON tree
   */
  @SuppressWarnings("exports")
  public static Node tree(Manifest m) {
    return Node.of(toJson(m));
  }

  static ObjectNode toJson(Manifest m) {
    ObjectNode root = Json.object();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("name", m.name().value());
    root.put("version", m.version().text());
    if (!m.description().isEmpty()) {
      root.put("description", m.description());
    }
    ArrayNode tasks = root.putArray("tasks");
    for (TaskSpec t : m.tasks()) {
      ObjectNode o = tasks.addObject();
      o.put("task", t.task().id());
      if (t.task() == Task.TRANSLATE && t.languages().size() == 1) {
        o.put("from", t.languages().get(0).code());
      } else if (!t.languages().isEmpty()) {
        ArrayNode langs = o.putArray("languages");
        t.languages().forEach(l -> langs.add(l.code()));
      }
      t.target().ifPresent(to -> o.put("to", to.code()));
    }
    ObjectNode engine = root.putObject("engine");
    engine.put("id", m.engine().id());
    engine.put("version", m.engine().versions().text());
    ObjectNode lic = root.putObject("license");
    lic.put("spdx", m.license().spdx());
    lic.put("url", m.license().url().toString());
    lic.put("attribution", m.license().attribution());
    ArrayNode files = root.putArray("files");
    for (ModelFile f : m.files()) {
      ObjectNode o = files.addObject();
      o.put("path", f.path().value());
      o.put("size", f.size());
      o.put("sha256", f.sha256().hex());
      ArrayNode sources = o.putArray("sources");
      f.sources().forEach(s -> sources.add(s.toString()));
      f.chunks().ifPresent(c -> {
        ObjectNode chunks = o.putObject("chunks");
        chunks.put("size", c.chunkSize());
        ArrayNode digests = chunks.putArray("sha256");
        c.sha256().forEach(d -> digests.add(d.hex()));
      });
    }
    root.put("totalSize", m.totalSize());
    if (m.demo()) {
      root.put("demo", true);
    }
    if (!m.annotations().isEmpty()) {
      ObjectNode ann = root.putObject("annotations");
      m.annotations().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> ann.put(e.getKey(), e.getValue()));
    }
    return root;
  }
}
