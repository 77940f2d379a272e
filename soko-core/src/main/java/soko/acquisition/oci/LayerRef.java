package soko.acquisition.oci;

import soko.manifest.RelativePath;
import soko.verification.Digest;

/**
 * One layer of a ModelPack artifact: a single file, stored raw (the blob is the file's bytes, so
 * the layer digest is the file's sha256).
 *
 * @param mediaType such as {@code application/vnd.cncf.model.weight.v1.raw}
 * @param path the validated {@code org.cncf.model.filepath} annotation
 */
public record LayerRef(String mediaType, Digest digest, long size, RelativePath path) {
  public LayerRef {
    if (size < 0) {
      throw new IllegalArgumentException("size < 0");
    }
  }
}
