package soko.acquisition.oci;

import java.util.List;
import java.util.Optional;
import soko.manifest.Manifest;
import soko.verification.Digest;

/**
 * A verified ModelPack manifest and what it describes. {@link #bytes()} are exactly the bytes the
 * registry served, and their sha256 is {@link #digest()}; they are never re-serialised.
 *
 * @param reference the reference pulled, pinned to {@link #digest()}
 * @param model the Soko manifest; each file's only source is {@code oci://REGISTRY/REPO@<layer digest>}
 * @param layers every layer in manifest order: the model's files, plus the licence text if any
 * @param licenseText the {@code LICENSE} doc layer when it is not one of the model's files
 */
public record PulledManifest(
    OciReference reference,
    byte[] bytes,
    Digest digest,
    Manifest model,
    List<LayerRef> layers,
    Optional<LayerRef> licenseText) {
  public PulledManifest {
    bytes = bytes.clone();
    layers = List.copyOf(layers);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }
}
