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
  static final String LAYER_PREFIX = "application/vnd.cncf.model.";
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
  static final Pattern SIMPLE_SPDX = Pattern.compile("[A-Za-z0-9.+\\-]+");
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
    return ModelPackWriter.write(model, licenseText, pushedAt);
  }

  /** The SPDX list's page of a licence, or the list itself for an expression. */
  public static URI spdxPage(String spdx) {
    return SIMPLE_SPDX.matcher(spdx).matches() && !spdx.equals("NOASSERTION")
        ? URI.create("https://spdx.org/licenses/" + spdx + ".html") : URI.create("https://spdx.org/licenses/");
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
    return ModelPackReader.read(manifest, digest, config, reference);
  }

  static Manifest parse(ObjectNode tree, String where) throws OciFormatException {
    try {
      return ManifestCodec.parse(Json.write(tree), where);
    } catch (soko.manifest.ManifestException e) {
      throw new OciFormatException(where + ": the model in the artifact is invalid: " + e.getMessage(), e);
    }
  }
}
