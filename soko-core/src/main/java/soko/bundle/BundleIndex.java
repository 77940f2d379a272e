package soko.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import soko.acquisition.oci.ModelPack;
import soko.acquisition.oci.OciFormatException;
import soko.acquisition.oci.OciReference;
import soko.acquisition.oci.PulledManifest;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * The JSON of a bundle, once its archive is read: checks {@code oci-layout}, then reads {@code
 * index.json} and every manifest it lists (ModelPack models and Soko catalogs), with the blobs
 * they name, as {@link BundleReader} describes. Not thread-safe.
 */
final class BundleIndex {
  private static final OciReference WHERE = OciReference.parse("oci://bundle.invalid/soko-bundle");

  private final String label;
  private final Predicate<Digest> inStore;
  private final Function<Digest, Path> storePath;

  BundleIndex(String label, Predicate<Digest> inStore, Function<Digest, Path> storePath) {
    this.label = label;
    this.inStore = inStore;
    this.storePath = storePath;
  }

  BundleReader.Contents interpret(byte[] index, Map<Digest, Long> present, Map<Digest, Path> staged, long written,
      long bytesWritten, long skipped) throws BundleException {
    Set<Digest> named = new HashSet<>();
    List<BundleReader.BundleModel> models = new ArrayList<>();
    List<BundleReader.CarriedCatalog> catalogs = new ArrayList<>();
    Map<String, String> modelIds = new HashMap<>();
    long[] jsonBudget = {BundleFormat.MAX_JSON_TOTAL};
    List<Descriptor> manifests;
    try {
      Node root = Json.parse(index, BundleFormat.MAX_JSON, "index.json");
      long schema = root.get("schemaVersion").integer(0, 100);
      if (schema != 2) {
        throw root.get("schemaVersion").problem("is " + schema + "; an OCI image index has 2");
      }
      if (root.opt("mediaType").isPresent() && !root.get("mediaType").text().equals(BundleFormat.OCI_INDEX)) {
        throw root.get("mediaType").problem("is \"" + root.get("mediaType").text() + "\", not " + BundleFormat.OCI_INDEX);
      }
      manifests = root.get("manifests").list(BundleFormat.MAX_MANIFESTS, Descriptor::read);
      for (int i = 0; i < manifests.size(); i++) {
        Descriptor d = manifests.get(i);
        if (d.mediaType().equals(BundleFormat.OCI_INDEX) || d.mediaType().contains("manifest.list")) {
          throw new JsonProblem("/manifests/" + i + "/mediaType", "names a nested index (" + d.digest()
              + "); a bundle lists its model manifests directly");
        }
        if (!d.mediaType().equals(BundleFormat.OCI_MANIFEST)) {
          throw new JsonProblem("/manifests/" + i + "/mediaType", "is \"" + Names.shown(d.mediaType()) + "\"; a bundle lists"
              + " OCI image manifests (" + BundleFormat.OCI_MANIFEST + ")");
        }
      }
    } catch (JsonProblem p) {
      throw new BundleException(label + ": index.json is invalid at " + (p.pointer().isEmpty() ? "/" : p.pointer()) + ": "
          + p.problem() + "; write bundles with `soko bundle export`", p);
    }
    if (manifests.isEmpty()) {
      throw new BundleException(label + ": index.json lists no manifests, so the bundle holds no models");
    }
    Set<Digest> seenManifests = new HashSet<>();
    for (Descriptor d : manifests) {
      if (!seenManifests.add(d.digest())) {
        continue;
      }
      byte[] manifest = blob(d, "manifest", present, staged, jsonBudget);
      named.add(d.digest());
      Node root;
      String artifactType;
      Descriptor config;
      List<Descriptor> layers;
      try {
        root = Json.parse(manifest, BundleFormat.MAX_JSON, "manifest");
        String mediaType = root.opt("mediaType").isPresent() ? root.get("mediaType").text() : "";
        if (!mediaType.equals(BundleFormat.OCI_MANIFEST)) {
          throw root.opt("mediaType").orElse(root).problem("media type \"" + Names.shown(mediaType) + "\" is not "
              + BundleFormat.OCI_MANIFEST);
        }
        config = Descriptor.read(root.get("config"));
        artifactType = root.opt("artifactType").isPresent() ? root.get("artifactType").text() : config.mediaType();
        layers = root.get("layers").list(10_001, Descriptor::read);
      } catch (JsonProblem p) {
        throw new BundleException(label + ": manifest " + d.digest() + " is invalid at "
            + (p.pointer().isEmpty() ? "/" : p.pointer()) + ": " + p.problem(), p);
      }
      named.add(config.digest());
      if (artifactType.equals(ModelPack.ARTIFACT_TYPE) || artifactType.equals(ModelPack.CONFIG_TYPE)) {
        byte[] cfg = blob(config, "config", present, staged, jsonBudget);
        PulledManifest pulled;
        try {
          pulled = ModelPack.read(manifest, d.digest(), cfg, WHERE);
        } catch (OciFormatException e) {
          throw new BundleException(label + ": manifest " + d.digest() + ": "
              + e.getMessage().replace(WHERE.withDigest(d.digest()).toString(), "").replaceFirst("^: ", ""), e);
        }
        for (Descriptor l : layers) {
          requirePresent(l, "layer of " + pulled.model().id(), present);
          named.add(l.digest());
        }
        String id = pulled.model().id();
        String before = modelIds.putIfAbsent(pulled.model().name().value(), id);
        if (before != null) {
          throw new BundleException(label + " holds two models named " + pulled.model().name() + " (" + before + " and " + id
              + "); export one version per bundle");
        }
        models.add(new BundleReader.BundleModel(d.refName().orElse(id), d.digest(), pulled.model()));
      } else if (artifactType.equals(BundleFormat.CATALOG_ARTIFACT)) {
        if (layers.size() != 1 || !layers.getFirst().mediaType().equals(BundleFormat.CATALOG_ENVELOPE)) {
          throw new BundleException(label + ": catalog manifest " + d.digest() + " must have exactly one layer of type "
              + BundleFormat.CATALOG_ENVELOPE);
        }
        Descriptor l = layers.getFirst();
        String id = l.annotations().get(BundleFormat.CATALOG_ID);
        if (id == null) {
          throw new BundleException(label + ": catalog manifest " + d.digest() + " does not name its catalog ("
              + BundleFormat.CATALOG_ID + ")");
        }
        if (l.size() > BundleFormat.MAX_ENVELOPE) {
          throw new BundleException(label + ": catalog " + Names.shown(id) + " is " + l.size() + " bytes; at most "
              + BundleFormat.MAX_ENVELOPE + " are accepted");
        }
        blob(config, "config", present, staged, jsonBudget);
        named.add(l.digest());
        catalogs.add(new BundleReader.CarriedCatalog(id, blob(l, "catalog", present, staged, jsonBudget)));
      } else {
        throw new BundleException(label + ": manifest " + d.digest() + " has the artifact type \"" + Names.shown(artifactType)
            + "\"; a bundle holds ModelPack models (" + ModelPack.ARTIFACT_TYPE + ") and Soko catalogs only");
      }
    }
    for (Digest p : present.keySet()) {
      if (!named.contains(p)) {
        throw new BundleException(label + " holds the blob " + p + ", which no manifest names; refused (a bundle carries"
            + " only what its models need)");
      }
    }
    if (models.isEmpty()) {
      throw new BundleException(label + " holds no models (only catalogs)");
    }
    Map<Digest, Path> modelBlobs = new LinkedHashMap<>();
    for (BundleReader.BundleModel m : models) {
      for (soko.manifest.ModelFile f : m.manifest().files()) {
        Path p = staged.get(f.sha256());
        if (p != null) {
          modelBlobs.put(f.sha256(), p);
        }
      }
    }
    for (Map.Entry<Digest, Path> e : staged.entrySet()) {
      if (!modelBlobs.containsKey(e.getKey())) {
        BundleStaging.discard(e.getValue()); // manifests, configs, catalogs: read, no longer needed
      }
    }
    return new BundleReader.Contents(models, catalogs, modelBlobs, written, bytesWritten, skipped);
  }

  private void requirePresent(Descriptor d, String what, Map<Digest, Long> present) throws BundleException {
    Long size = present.get(d.digest());
    if (size == null) {
      if (inStore.test(d.digest())) {
        return;
      }
      throw new BundleException(label + ": the " + what + " " + d.digest() + " is not in the bundle; it is incomplete:"
          + " export it again");
    }
    if (size != d.size()) {
      throw new BundleException(label + ": the " + what + " " + d.digest() + " is " + size + " bytes in the bundle but its"
          + " manifest says " + d.size());
    }
  }

  /** The bytes of a small JSON blob, from the staging folder or the store. */
  private byte[] blob(Descriptor d, String what, Map<Digest, Long> present, Map<Digest, Path> staged, long[] budget)
      throws BundleException {
    requirePresent(d, what, present);
    if (d.size() > BundleFormat.MAX_JSON && !what.equals("catalog")) {
      throw new BundleException(label + ": the " + what + " " + d.digest() + " is " + d.size() + " bytes; at most "
          + BundleFormat.MAX_JSON + " are accepted");
    }
    budget[0] -= d.size();
    if (budget[0] < 0) {
      throw new BundleException(label + " holds more than " + BundleFormat.MAX_JSON_TOTAL + " bytes of manifests and"
          + " catalogs; refused");
    }
    Path p = staged.getOrDefault(d.digest(), storePath.apply(d.digest()));
    try {
      byte[] bytes = Files.readAllBytes(p);
      if (bytes.length != d.size() || !Hashing.sha256(bytes).equals(d.digest())) {
        throw new BundleException(label + ": the staged " + what + " " + d.digest() + " changed after it was verified;"
            + " run the import again");
      }
      return bytes;
    } catch (IOException e) {
      throw new BundleException("cannot read the staged " + what + " " + p + ": " + e.getMessage(), e);
    }
  }

  void checkLayout(byte[] layout) throws BundleException {
    try {
      Node root = Json.parse(layout, 4096, "oci-layout");
      String v = root.get("imageLayoutVersion").text();
      if (!v.equals(BundleFormat.LAYOUT_VERSION)) {
        throw root.get("imageLayoutVersion").problem("is \"" + Names.shown(v) + "\"; Soko reads layout version "
            + BundleFormat.LAYOUT_VERSION);
      }
    } catch (JsonProblem p) {
      throw new BundleException(label + ": oci-layout is invalid at " + (p.pointer().isEmpty() ? "/" : p.pointer()) + ": "
          + p.problem(), p);
    }
  }
}
