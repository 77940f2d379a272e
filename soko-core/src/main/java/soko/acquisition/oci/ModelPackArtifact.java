package soko.acquisition.oci;

import java.util.List;
import soko.verification.Digest;

/**
 * A model written as a ModelPack OCI artifact: the image manifest and config bytes (canonical,
 * deterministic) and the layers, whose blobs are the model's files plus an optional licence text.
 * Immutable: the arrays are copied in and out.
 *
 * @param manifest the OCI image manifest's JSON bytes
 * @param manifestDigest their sha256, which addresses the artifact in a registry
 * @param config the ModelPack config's JSON bytes
 * @param configDigest their sha256
 * @param layers one per model file (and the licence text, when there is one), in manifest order
 */
public record ModelPackArtifact(byte[] manifest, Digest manifestDigest, byte[] config, Digest configDigest, List<LayerRef> layers) {
  /** Copies the arrays and the list. */
  public ModelPackArtifact {
    manifest = manifest.clone();
    config = config.clone();
    layers = List.copyOf(layers);
  }

  /**
   * The manifest's bytes.
   *
   * @return a copy of the OCI image manifest's JSON bytes
   */
  @Override
  public byte[] manifest() {
    return manifest.clone();
  }

  /**
   * The config's bytes.
   *
   * @return a copy of the ModelPack config's JSON bytes
   */
  @Override
  public byte[] config() {
    return config.clone();
  }
}
