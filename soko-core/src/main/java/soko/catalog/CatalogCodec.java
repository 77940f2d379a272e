package soko.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelName;
import soko.manifest.Task;
import soko.manifest.TaskSpec;

/**
 * Reads and writes catalog documents, schema version 1 ({@code schemas/catalog-v1.schema.json}).
 *
 * <pre>{@code
 * {
 *   "schemaVersion": 1,
 *   "id": "example.models",
 *   "version": 7,
 *   "expires": "2026-09-01T00:00:00Z",
 *   "models": [ { ...a manifest v1... } ],
 *   "aliases": {
 *     "ja-en": {"task": "translate", "from": "ja", "to": "en", "candidates": ["opus-mt-ja-en", "demo-phrasebook"]},
 *     "ja-asr": {"task": "asr", "language": "ja", "candidates": ["whisper-base"]},
 *     "vad": {"task": "vad", "candidates": ["silero-vad"]}
 *   }
 * }
 * }</pre>
 *
 * <p>Reading is strict: unknown fields, duplicate keys, wrong types, documents over {@link
 * #MAX_BYTES} or nested deeper than {@link Json#MAX_DEPTH} are refused with the JSON pointer of the
 * bad value, as are broken catalog rules ({@link Catalog#problem}). {@code aliases} may be omitted.
 * The built-in catalog alone may leave out {@code expires} and name models shipped inside Soko under
 * {@code "bundled": ["silero-vad"]}. Writing is canonical. Thread-safe.
 */
public final class CatalogCodec {
  /** The only schema version this release reads and writes. */
  public static final int SCHEMA_VERSION = 1;
  /** A catalog document larger than this is refused before parsing. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  private static final Set<String> TOP = Set.of("schemaVersion", "id", "version", "expires", "models", "aliases", "bundled");
  private static final Set<String> ALIAS_VAD = Set.of("task", "candidates");
  private static final Set<String> ALIAS_ASR = Set.of("task", "language", "candidates");
  private static final Set<String> ALIAS_PAIR = Set.of("task", "from", "to", "candidates");
  /** RFC 3339 date-time: seconds required, fraction optional, 'Z' or a numeric offset. */
  private static final Pattern RFC3339 = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

  private CatalogCodec() {}

  /** Finds a manifest shipped inside Soko by model name; empty when there is none. */
  @FunctionalInterface
  interface BundledManifests {
    Optional<Manifest> find(ModelName name, Node at) throws JsonProblem;
  }

  /**
   * Parses a published catalog document: {@code expires} is required and {@code bundled} is refused.
   *
   * @param json the document's UTF-8 JSON, at most {@link #MAX_BYTES} bytes
   * @param source names the document in messages, such as a file path or {@code catalog source "…"}
   * @return the catalog, obeying every catalog rule
   * @throws CatalogUnusableException if the bytes are not JSON, too large, or break the schema or a
   *     catalog rule (the message names the JSON pointer and what would be valid)
   */
  public static Catalog parse(byte[] json, String source) throws CatalogUnusableException {
    try {
      return read(Json.parse(json, MAX_BYTES, "catalog"), null);
    } catch (JsonProblem p) {
      throw CatalogUnusableException.malformed(source, "catalog", p.pointer(), p.problem(), p);
    }
  }

  /** Parses the built-in catalog, whose {@code bundled} names are looked up with {@code bundled}. */
  static Catalog parseBuiltin(byte[] json, String source, BundledManifests bundled) throws CatalogUnusableException {
    try {
      return read(Json.parse(json, MAX_BYTES, "catalog"), bundled);
    } catch (JsonProblem p) {
      throw CatalogUnusableException.malformed(source, "catalog", p.pointer(), p.problem(), p);
    }
  }

  private static Catalog read(Node root, @Nullable BundledManifests bundled) throws JsonProblem {
    root.object(TOP);
    Node schemaNode = root.get("schemaVersion");
    long schema = schemaNode.integer(0, Integer.MAX_VALUE);
    if (schema != SCHEMA_VERSION) {
      throw schemaNode.problem("schema version " + schema + " is not supported; this Soko reads version " + SCHEMA_VERSION
          + (schema > SCHEMA_VERSION ? " (upgrade Soko to read newer catalogs)" : ""));
    }
    Node idNode = root.get("id");
    String id = idNode.text();
    @Nullable String idProblem = Catalog.idProblem(id);
    if (idProblem != null) {
      throw idNode.problem(Node.quote(id) + " is not valid: " + idProblem);
    }
    long version = root.get("version").integer(1, Long.MAX_VALUE);
    Optional<Instant> expires = Optional.empty();
    if (root.has("expires")) {
      expires = Optional.of(instant(root.get("expires")));
    } else if (bundled == null) {
      throw new JsonProblem("/expires", "is missing; a published catalog says when it expires, such as \"2026-09-01T00:00:00Z\"");
    }
    List<Manifest> models = new ArrayList<>();
    int bundledCount = 0;
    if (root.has("bundled")) {
      Node list = root.get("bundled");
      if (bundled == null) {
        throw list.problem("only the catalog built into Soko may name bundled models; list the models' manifests under models");
      }
      for (Node n : list.array(Catalog.MAX_MODELS)) {
        ModelName name = n.parse(ModelName::parse, "the name of a model shipped inside Soko, such as silero-vad");
        Manifest m = bundled.find(name, n)
            .orElseThrow(() -> n.problem("no model \"" + name + "\" is shipped inside this Soko; this build is incomplete"));
        if (!m.name().equals(name)) {
          throw n.problem("the bundled manifest for \"" + name + "\" names model \"" + m.name() + "\"");
        }
        models.add(m);
      }
      bundledCount = models.size();
    }
    Node modelsNode = root.get("models");
    models.addAll(modelsNode.list(Catalog.MAX_MODELS, ManifestCodec::read));
    if (models.size() > Catalog.MAX_MODELS) {
      throw modelsNode.problem("with the bundled models there are " + models.size() + "; at most " + Catalog.MAX_MODELS
          + " are allowed");
    }
    List<Alias> aliases = new ArrayList<>();
    if (root.has("aliases")) {
      for (Node.Member m : root.get("aliases").members(Catalog.MAX_ALIASES)) {
        aliases.add(readAlias(m.key(), m.value()));
      }
    }
    Catalog.@Nullable Problem problem = Catalog.problem(models, aliases);
    if (problem != null) {
      throw new JsonProblem(pointerOf(problem, bundledCount), problem.message());
    }
    return new Catalog(id, version, expires, models, aliases);
  }

  /** Catalog.problem counts bundled models first; point into the document's own models array. */
  private static String pointerOf(Catalog.Problem p, int bundledCount) {
    String ptr = p.pointer();
    if (ptr.startsWith("/models/") && bundledCount > 0) {
      String rest = ptr.substring("/models/".length());
      int slash = rest.indexOf('/');
      int index = Integer.parseInt(slash < 0 ? rest : rest.substring(0, slash));
      String tail = slash < 0 ? "" : rest.substring(slash);
      return index < bundledCount ? "/bundled/" + index : "/models/" + (index - bundledCount) + tail;
    }
    // Alias names are spelled like model names, so they never need RFC 6901 escaping.
    return ptr;
  }

  private static Alias readAlias(String name, Node n) throws JsonProblem {
    try {
      ModelName.parse(name);
    } catch (IllegalArgumentException e) {
      throw n.problem(Node.quote(name) + " is not a valid alias name: " + e.getMessage());
    }
    if (!n.raw().isObject()) {
      n.object(ALIAS_PAIR);
    }
    Task task = n.get("task").parse(Task::parse, "one of " + Task.known());
    TaskSpec spec;
    try {
      spec = switch (task) {
        case VAD -> {
          n.object(ALIAS_VAD);
          yield TaskSpec.vad();
        }
        case ASR -> {
          n.object(ALIAS_ASR);
          yield TaskSpec.asr(language(n.get("language")));
        }
        case TRANSLATE -> {
          n.object(ALIAS_PAIR);
          yield TaskSpec.translate(language(n.get("from")), language(n.get("to")));
        }
        case SPEECH_TRANSLATE -> {
          n.object(ALIAS_PAIR);
          yield TaskSpec.speechTranslate(language(n.get("to")), language(n.get("from")));
        }
      };
    } catch (IllegalArgumentException e) {
      throw n.problem(e.getMessage());
    }
    Node candidatesNode = n.get("candidates");
    List<ModelName> candidates = candidatesNode.list(Alias.MAX_CANDIDATES,
        c -> c.parse(ModelName::parse, "a model name such as whisper-base"));
    try {
      return new Alias(name, spec, candidates);
    } catch (IllegalArgumentException e) {
      throw candidatesNode.problem(e.getMessage());
    }
  }

  private static Language language(Node n) throws JsonProblem {
    return n.parse(Language::parse, "an ISO 639 code such as ja");
  }

  private static Instant instant(Node n) throws JsonProblem {
    String s = n.text();
    if (!RFC3339.matcher(s).matches()) {
      throw n.problem(Node.quote(s) + " is not an RFC 3339 timestamp; expected one such as 2026-09-01T00:00:00Z");
    }
    try {
      return OffsetDateTime.parse(s.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new JsonProblem(n.pointer(), "\"" + s + "\" is not a real date and time: " + e.getMessage(), e);
    }
  }

  /**
   * Writes a catalog document canonically: fixed key order, two-space indentation, a final newline.
   * Every model is written in full, bundled ones included. {@code parse(write(c))} equals {@code c}
   * for a catalog with an expiry.
   *
   * @param catalog the catalog
   * @return its UTF-8 JSON
   */
  public static byte[] write(Catalog catalog) {
    ObjectNode root = Json.object();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("id", catalog.id());
    root.put("version", catalog.version());
    catalog.expires().ifPresent(e -> root.put("expires", e.toString()));
    ArrayNode models = root.putArray("models");
    catalog.models().forEach(m -> models.add(ManifestCodec.tree(m).raw()));
    ObjectNode aliases = root.putObject("aliases");
    for (Alias a : catalog.aliases()) {
      ObjectNode o = aliases.putObject(a.name());
      o.put("task", a.task().task().id());
      switch (a.task().task()) {
        case VAD -> { }
        case ASR -> o.put("language", a.language().orElseThrow().code());
        case TRANSLATE, SPEECH_TRANSLATE -> {
          o.put("from", a.language().orElseThrow().code());
          o.put("to", a.task().target().orElseThrow().code());
        }
      }
      ArrayNode candidates = o.putArray("candidates");
      a.candidates().forEach(c -> candidates.add(c.value()));
    }
    return Json.write(root);
  }
}
