package soko.acquisition.oci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.verification.Digest;

/** The parts of an OCI image manifest Soko reads. Unknown fields are ignored, as the spec requires. */
record ImageManifest(
    String mediaType, Optional<String> artifactType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {

  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  /** Manifests larger than this are refused (the distribution spec's suggested limit). */
  static final int MAX_BYTES = 4 * 1024 * 1024;
  static final int MAX_LAYERS = 10_001;

  record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations) {
    Descriptor {
      annotations = Map.copyOf(annotations);
    }
  }

  ImageManifest {
    layers = List.copyOf(layers);
    annotations = Map.copyOf(annotations);
  }

  /** Parses manifest bytes; {@code what} names them in messages. */
  static ImageManifest parse(byte[] bytes, String what) throws OciFormatException {
    try {
      Node root = Json.parse(bytes, MAX_BYTES, "manifest");
      long schema = root.get("schemaVersion").integer(0, 100);
      if (schema != 2) {
        throw root.get("schemaVersion").problem("schema version " + schema + " is not an OCI image manifest (2)");
      }
      String mediaType = root.opt("mediaType").isPresent() ? root.get("mediaType").text() : OCI_MANIFEST;
      if (mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST)) {
        throw root.get("mediaType").problem("is an image index, not a single model; pull one of its manifests by digest");
      }
      if (!mediaType.equals(OCI_MANIFEST)) {
        throw root.get("mediaType").problem("\"" + mediaType + "\" is not an OCI image manifest (" + OCI_MANIFEST + ")");
      }
      Optional<String> artifactType = root.opt("artifactType").isPresent()
          ? Optional.of(root.get("artifactType").text()) : Optional.empty();
      Descriptor config = descriptor(root.get("config"));
      List<Descriptor> layers = root.get("layers").list(MAX_LAYERS, ImageManifest::descriptor);
      return new ImageManifest(mediaType, artifactType, config, layers, annotations(root));
    } catch (JsonProblem p) {
      throw new OciFormatException(what + ": bad OCI manifest at " + (p.pointer().isEmpty() ? "/" : p.pointer())
          + ": " + p.problem(), p);
    }
  }

  private static Descriptor descriptor(Node n) throws JsonProblem {
    String mediaType = n.get("mediaType").text();
    Digest digest = n.get("digest").parse(Digest::parse, "sha256:<64 lower-case hex>");
    long size = n.get("size").integer(0, Long.MAX_VALUE);
    return new Descriptor(mediaType, digest, size, annotations(n));
  }

  static Map<String, String> annotations(Node n) throws JsonProblem {
    Map<String, String> out = new LinkedHashMap<>();
    Optional<Node> a = n.opt("annotations");
    if (a.isPresent()) {
      for (Node.Member m : a.get().members(1024)) {
        out.put(m.key(), m.value().text());
      }
    }
    return out;
  }
}
