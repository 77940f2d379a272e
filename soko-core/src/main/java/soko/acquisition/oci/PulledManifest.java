package soko.acquisition.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import soko.internal.json.Json;
import soko.manifest.Manifest;
import soko.manifest.RelativePath;
import soko.manifest.TaskSpec;
import soko.verification.Digest;

/**
 * A verified ModelPack manifest and what it describes. {@link #bytes()} are exactly the bytes the
 * registry served, and their sha256 is {@link #digest()}; they are never re-serialised.
 *
 * <p>When every layer is a single raw file, {@link #model()} is the Soko manifest. When some
 * layers are tar archives ({@link #packedLayers()}), their files are known only once they are
 * downloaded and unpacked ({@link LayerArchive}); {@link #complete} then gives the manifest. Each
 * file's only source is {@code oci://REGISTRY/REPO@<layer digest>}; for a file that came out of a
 * tar layer that is the layer it came out of (pull the reference again to repair it). Immutable.
 */
public final class PulledManifest {
  /** One file known from the manifest alone (a raw layer). */
  record FileEntry(RelativePath path, long size, Digest sha256, String source, String mediaType) {}

  /** The Soko manifest tree without the files of packed layers, the raw files, the config's diffIds, and why it has no task. */
  record Template(ObjectNode tree, List<FileEntry> rawFiles, List<Digest> diffIds, Optional<String> noTask, boolean embedded) {}

  private final OciReference reference;
  private final byte[] bytes;
  private final Digest digest;
  private final List<LayerRef> layers;
  private final Optional<LayerRef> licenseText;
  private final Template template;
  private final String where;
  private final Optional<Manifest> model;

  PulledManifest(OciReference reference, byte[] bytes, Digest digest, List<LayerRef> layers, Optional<LayerRef> licenseText,
      Template template, String where) throws OciFormatException {
    this.reference = reference;
    this.bytes = bytes.clone();
    this.digest = digest;
    this.layers = List.copyOf(layers);
    this.licenseText = licenseText;
    this.template = template;
    this.where = where;
    this.model = packedLayers().isEmpty() ? Optional.of(build(Map.of(), Optional.empty())) : Optional.empty();
  }

  /**
   * What was pulled.
   *
   * @return the reference pulled, pinned to {@link #digest()}
   */
  public OciReference reference() {
    return reference;
  }

  /**
   * The manifest as served.
   *
   * @return a copy of the exact bytes the registry served
   */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * The manifest's digest.
   *
   * @return the sha256 of {@link #bytes()}
   */
  public Digest digest() {
    return digest;
  }

  /**
   * Every layer.
   *
   * @return the layers in manifest order: the model's files (or archives of them), plus the licence
   *     text if any
   */
  public List<LayerRef> layers() {
    return layers;
  }

  /**
   * The licence text layer.
   *
   * @return the {@code LICENSE} doc layer that Soko added at push time and that is not one of the
   *     model's files; empty when there is none
   */
  public Optional<LayerRef> licenseText() {
    return licenseText;
  }

  /**
   * The layers to download and unpack before {@link #complete}.
   *
   * @return the {@code .tar} and {@code .tar+gzip} layers, in manifest order; empty when every layer
   *     is a raw file
   */
  public List<LayerRef> packedLayers() {
    return layers.stream().filter(l -> ModelPack.LayerType.parse(l.mediaType()).map(ModelPack.LayerType::packed).orElse(false))
        .toList();
  }

  /**
   * Whether a layer is compressed.
   *
   * @param layer a layer
   * @return true when its media type ends with {@code +gzip}
   */
  public static boolean gzip(LayerRef layer) {
    return layer.mediaType().endsWith("+gzip");
  }

  /**
   * The Soko manifest of an artifact without packed layers.
   *
   * @return the Soko manifest
   * @throws IllegalStateException when it has packed layers: use {@link #complete}
   */
  public Manifest model() {
    return model.orElseThrow(() -> new IllegalStateException(where + " has tar layers; unpack them and call complete"));
  }

  /**
   * What must be downloaded to install this model, as a manifest: the raw layers' files, and each
   * packed layer as one file named {@code layers/<hex>.tar} whose sha256 is the layer digest (for
   * the download plan, consent and the downloader; never installed under that name).
   *
   * @return the transfer manifest
   * @throws OciFormatException when the artifact holds no layers, or its files do not make a valid
   *     manifest
   */
  public Manifest transfer() throws OciFormatException {
    if (template.embedded()) {
      return model();
    }
    ObjectNode tree = template.tree().deepCopy();
    ArrayNode files = tree.putArray("files");
    Map<String, String> ignored = new TreeMap<>();
    for (FileEntry f : template.rawFiles()) {
      add(files, ignored, f.path(), f.size(), f.sha256(), f.source(), f.mediaType());
    }
    for (LayerRef l : packedLayers()) {
      add(files, ignored, transferPath(l), l.size(), l.digest(), reference.blobUri(l.digest()), l.mediaType());
    }
    if (files.isEmpty()) {
      throw new OciFormatException(where + " holds no layers; there is nothing to install");
    }
    return ModelPack.parse(tree, where);
  }

  /**
   * The name of a packed layer in {@link #transfer()}.
   *
   * @param layer a packed layer
   * @return {@code layers/<hex>.tar} or {@code layers/<hex>.tar.gz}
   */
  public static RelativePath transferPath(LayerRef layer) {
    return RelativePath.parse("layers/" + layer.digest().hex() + (gzip(layer) ? ".tar.gz" : ".tar"));
  }

  /**
   * Why the model was read in the "no task" state (installed and verified, not runnable), when it
   * was: its config did not say what it does in a way Soko reads without guessing.
   *
   * @return the reason, one line; empty when the model has tasks
   */
  public Optional<String> noTaskReason() {
    return template.noTask();
  }

  /**
   * The Soko manifest, with the files unpacked from each packed layer. Each packed layer's DiffID
   * (the sha256 of its uncompressed tar stream) must be the one the config lists for it.
   *
   * @param unpacked what {@link LayerArchive#unpack} found in each packed layer, by layer digest
   * @param tasks the tasks the user gave ({@code --task}), replacing what the artifact says
   * @throws OciFormatException when a packed layer was not unpacked, two layers hold one path, or
   *     tasks are given for a model no Soko engine reads
   * @return the Soko manifest of the whole model
   * @throws OciIntegrityException when a layer's DiffID differs from the config's
   */
  public Manifest complete(Map<Digest, LayerArchive.Contents> unpacked, Optional<List<TaskSpec>> tasks) throws OciException {
    if (tasks.isEmpty() && model.isPresent()) {
      return model.get();
    }
    return build(unpacked, tasks);
  }

  private Manifest build(Map<Digest, LayerArchive.Contents> unpacked, Optional<List<TaskSpec>> tasks) throws OciFormatException {
    ObjectNode tree = template.tree().deepCopy();
    if (template.embedded()) {
      // Soko's own artifact: the embedded manifest lists the files
      return withTasks(ModelPack.parse(tree, where), tasks);
    }
    ArrayNode files = tree.putArray("files");
    Map<String, String> mediaTypes = new TreeMap<>();
    for (FileEntry f : template.rawFiles()) {
      add(files, mediaTypes, f.path(), f.size(), f.sha256(), f.source(), f.mediaType());
    }
    for (int i = 0; i < layers.size(); i++) {
      LayerRef l = layers.get(i);
      ModelPack.LayerType type = ModelPack.LayerType.parse(l.mediaType()).orElseThrow();
      if (!type.packed()) {
        continue;
      }
      LayerArchive.Contents c = unpacked.get(l.digest());
      if (c == null) {
        throw new OciFormatException(where + ": layer " + i + " (" + l.path() + ") was not unpacked");
      }
      if (!template.diffIds().isEmpty() && !template.diffIds().get(i).equals(c.diffId())) {
        throw new OciFormatException(where + ": layer " + i + " (" + l.path() + ") unpacks to a tar stream hashing to "
            + c.diffId() + " but the config's modelfs.diffIds says " + template.diffIds().get(i)
            + "; the artifact is inconsistent, so it was not installed");
      }
      boolean single = c.files().size() == 1;
      for (LayerArchive.Entry e : c.files()) {
        // modctl before 2025 named a single file's entry by its base name only; its layer path says where it goes
        RelativePath path = single && !e.path().equals(l.path()) && e.path().value().equals(l.path().fileName()) ? l.path() : e.path();
        add(files, mediaTypes, path, e.size(), e.sha256(), reference.blobUri(l.digest()), type.raw().mediaType());
      }
    }
    if (files.isEmpty()) {
      throw new OciFormatException(where + " holds no files (its layers are empty); there is nothing to install");
    }
    if (!mediaTypes.isEmpty()) {
      ObjectNode o = Json.object();
      mediaTypes.forEach(o::put);
      String json = Json.writeLine(o);
      if (json.length() <= 4096) {
        ((ObjectNode) tree.get("annotations")).put(ModelPack.MEDIA_TYPES, json);
      }
    }
    return withTasks(ModelPack.parse(tree, where), tasks);
  }

  private static void add(ArrayNode files, Map<String, String> mediaTypes, RelativePath path, long size, Digest sha256,
      String source, String mediaType) {
    ObjectNode f = files.addObject();
    f.put("path", path.value());
    f.put("size", size);
    f.put("sha256", sha256.hex());
    f.putArray("sources").add(source);
    if (!ModelPack.layerType(path).equals(mediaType)) {
      mediaTypes.put(path.value(), mediaType);
    }
  }

  private Manifest withTasks(Manifest m, Optional<List<TaskSpec>> tasks) throws OciFormatException {
    return withTasks(m, tasks, where);
  }

  /**
   * {@code m} with {@code tasks} (the user's {@code --task}) in place of its own, when given.
   *
   * @param m the manifest
   * @param tasks the tasks to set; empty to keep {@code m}'s own
   * @param where names the artifact in messages
   * @return {@code m}, or a copy with the tasks replaced
   * @throws OciFormatException when no Soko engine reads the model, so no task can make it runnable
   */
  public static Manifest withTasks(Manifest m, Optional<List<TaskSpec>> tasks, String where) throws OciFormatException {
    if (tasks.isEmpty()) {
      return m;
    }
    if (m.engine().id().equals(ModelPack.NO_ENGINE)) {
      throw new OciFormatException(where + " is in a format no Soko engine reads ("
          + m.annotations().getOrDefault(ModelPack.CONFIG_PREFIX + "format", "no format given") + "), so a task cannot make it"
          + " runnable; pull it without --task to keep it as a model with no task");
    }
    try {
      return new Manifest(m.name(), m.version(), m.description(), tasks.get(), m.engine(), m.license(), m.files(), m.demo(),
          m.annotations());
    } catch (IllegalArgumentException e) {
      throw new OciFormatException(where + ": " + e.getMessage(), e);
    }
  }
}
