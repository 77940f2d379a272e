package soko.acquisition.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import soko.acquisition.oci.ModelPack.LayerType;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.manifest.RelativePath;
import soko.verification.Digest;

/**
 * Reads a ModelPack artifact, as {@link ModelPack#read} describes: checks that it is one, takes
 * each layer's type and safe path, then checks Soko's embedded manifest against the layers or
 * hands an artifact of another tool to {@link ForeignModelPack}. Thread-safe; no I/O.
 */
final class ModelPackReader {
  private ModelPackReader() {}

  static PulledManifest read(byte[] manifest, Digest digest, byte[] config, OciReference reference) throws OciFormatException {
    String where = reference.withDigest(digest).toString();
    ImageManifest m = ImageManifest.parse(manifest, where);
    checkIsModelPack(m, where);
    List<LayerRef> layers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < m.layers().size(); i++) {
      ImageManifest.Descriptor l = m.layers().get(i);
      int index = i;
      LayerType type = LayerType.parse(l.mediaType()).orElseThrow(() -> new OciFormatException(where + ": layer " + index
          + " has the media type " + l.mediaType() + ", which is not a ModelPack layer (" + ModelPack.LAYER_PREFIX
          + "{weight,weight.config,doc,code,dataset}.v1.{raw,tar,tar+gzip})"));
      if (type.packing().equals("tar+zstd")) {
        throw new OciFormatException(where + ": layer " + i + " is " + l.mediaType() + "; Soko unpacks raw, tar and tar+gzip"
            + " layers only, so repack it with one of those (zstd would need a native library)");
      }
      String raw = Optional.ofNullable(l.annotations().get(ModelPack.FILEPATH)).or(() -> Optional.ofNullable(l.annotations().get(ModelPack.TITLE)))
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
    if (m.annotations().containsKey(ModelPack.SOKO_MANIFEST)) {
      return readSoko(m, manifest, digest, layers, reference, where);
    }
    ModelPackConfig cfg = ModelPackConfig.parse(config, where);
    return new PulledManifest(reference.withDigest(digest), manifest, digest, layers, Optional.empty(),
        ForeignModelPack.template(m, cfg, layers, reference, digest, where), where);
  }

  private static void checkIsModelPack(ImageManifest m, String where) throws OciFormatException {
    String config = m.config().mediaType();
    if (config.equals(ModelPack.CONFIG_TYPE)) {
      return; // KitOps reads by the config type too: a missing or other artifactType is tolerated
    }
    String artifact = m.artifactType().orElse("absent");
    String head = where + " is not a ModelPack model (artifactType " + artifact + ", config " + config + ")";
    String how;
    if (artifact.equals(ModelPack.ARTIFACT_TYPE)) {
      how = ": its artifactType says ModelPack but the spec requires the config " + ModelPack.CONFIG_TYPE + "; push it again with that config";
    } else if (config.equals(ModelPack.EMPTY_CONFIG)) {
      how = ": an artifact with an empty config, as `oras push` makes by default, says nothing about the model; push it again"
          + " with `oras push --artifact-type " + ModelPack.ARTIFACT_TYPE + " --config config.json:" + ModelPack.CONFIG_TYPE + " FILE:"
          + ModelPack.WEIGHT + " …`, or build it with modctl or `kit pack --use-model-pack`";
    } else if (config.equals(ModelPack.KITOPS_CONFIG)) {
      how = ": it is a KitOps ModelKit in KitOps's own format; pack it as a ModelPack with `kit pack --use-model-pack`";
    } else if (config.startsWith("application/vnd.docker.ai.model.config")) {
      how = ": it is in Docker Model Runner's own format; package it as a ModelPack with `docker model package --format cncf`";
    } else {
      how = "; push it as a ModelPack (" + ModelPack.ARTIFACT_TYPE + ")";
    }
    throw new OciFormatException(head + how);
  }

  /** An artifact written by Soko: the embedded manifest is the model, and every layer must match it. */
  private static PulledManifest readSoko(ImageManifest m, byte[] bytes, Digest digest, List<LayerRef> layers, OciReference reference,
      String where) throws OciFormatException {
    ObjectNode tree;
    try {
      Node n = Json.parse(m.annotations().get(ModelPack.SOKO_MANIFEST).getBytes(StandardCharsets.UTF_8), ManifestCodec.MAX_BYTES, "Soko manifest");
      if (!(n.raw() instanceof ObjectNode o)) {
        throw n.problem("expected an object");
      }
      tree = o;
    } catch (JsonProblem p) {
      throw new OciFormatException(where + ": the " + ModelPack.SOKO_MANIFEST + " annotation is invalid at "
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
    Manifest model = ModelPack.parse(tree, where);
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
        if (l.path().value().equals(ModelPack.LICENSE_PATH) && l.mediaType().equals(ModelPack.DOC)) {
          licenseText = Optional.of(l);
        } else {
          throw new OciFormatException(where + ": layer " + l.path() + " is not one of the model's files");
        }
      }
    }
    return new PulledManifest(reference.withDigest(digest), bytes, digest, layers, licenseText,
        new PulledManifest.Template(tree, List.of(), List.of(), Optional.empty(), true), where);
  }

  private static String safeHex(String hex, String where) throws OciFormatException {
    try {
      return Digest.ofHex(hex).hex();
    } catch (IllegalArgumentException e) {
      throw new OciFormatException(where + ": a file's sha256 is not valid: " + e.getMessage(), e);
    }
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
