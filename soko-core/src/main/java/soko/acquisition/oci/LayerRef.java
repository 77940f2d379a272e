package soko.acquisition.oci;

import soko.manifest.RelativePath;
import soko.verification.Digest;

/**
 * One layer of a ModelPack artifact: a single file, stored raw (the blob is the file's bytes, so
 * the layer digest is the file's sha256). Immutable.
 *
 * @param mediaType such as {@code application/vnd.cncf.model.weight.v1.raw}
 * @param digest the blob's digest, which is the file's sha256
 * @param size the blob's size in bytes, {@code >= 0}
 * @param path the validated {@code org.cncf.model.filepath} annotation
 */
public record LayerRef(String mediaType, Digest digest, long size, RelativePath path) {
  /**
   * Checks the size.
   *
   * @throws IllegalArgumentException if {@code size < 0}
   */
  public LayerRef {
    if (size < 0) {
      throw new IllegalArgumentException("size < 0");
    }
  }
}
