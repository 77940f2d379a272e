package soko.acquisition.oci;

import java.util.List;
import soko.verification.Digest;

/**
 * A model written as a ModelPack OCI artifact: the image manifest and config bytes (canonical,
 * deterministic) and the layers, whose blobs are the model's files plus an optional licence text.
 */
public record ModelPackArtifact(byte[] manifest, Digest manifestDigest, byte[] config, Digest configDigest, List<LayerRef> layers) {
  public ModelPackArtifact {
    manifest = manifest.clone();
    config = config.clone();
    layers = List.copyOf(layers);
  }

  @Override
  public byte[] manifest() {
    return manifest.clone();
  }

  @Override
  public byte[] config() {
    return config.clone();
  }
}
