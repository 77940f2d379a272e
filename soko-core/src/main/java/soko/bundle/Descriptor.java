package soko.bundle;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.verification.Digest;

/** An OCI descriptor as a bundle uses it. */
record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations) {
  Optional<String> refName() {
    return Optional.ofNullable(annotations.get(BundleFormat.REF_NAME));
  }

  static Descriptor read(Node n) throws JsonProblem {
    String mediaType = n.get("mediaType").text();
    Digest digest = n.get("digest").parse(Digest::parse, "sha256:<64 lower-case hex>");
    long size = n.get("size").integer(0, soko.manifest.ModelFile.MAX_SIZE);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (n.opt("annotations").isPresent()) {
      for (Node.Member m : n.get("annotations").members(1024)) {
        annotations.put(m.key(), m.value().text());
      }
    }
    return new Descriptor(mediaType, digest, size, annotations);
  }
}
