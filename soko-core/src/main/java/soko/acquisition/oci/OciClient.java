package soko.acquisition.oci;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import soko.acquisition.Connector;
import soko.acquisition.HttpRequest;
import soko.acquisition.HttpResponse;
import soko.acquisition.HttpSettings;
import soko.acquisition.Transport;
import soko.manifest.Manifest;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * Pulls and pushes ModelPack models from and to any OCI distribution registry. Thread-safe: one
 * instance per process is enough, and it caches bearer tokens.
 *
 * <p>Pull: {@link #pullManifest} reads and verifies the manifest and config; its files' sources
 * are {@code oci://} blobs, which the one downloader ({@code soko.acquisition.Downloader}) fetches
 * through {@link #blobTransport()} with the same resume, retry, watchdog and verification as any
 * download. Push: {@link #push} uploads every blob the registry lacks, then the manifest. Every
 * request goes through the {@link Connector}. Nothing here reads the environment; see {@link
 * OciSettings}.
 */
public final class OciClient {
  static final String MANIFEST_ACCEPT = String.join(", ", ImageManifest.OCI_MANIFEST, ImageManifest.OCI_INDEX,
      ImageManifest.DOCKER_MANIFEST, ImageManifest.DOCKER_LIST);

  private final RegistryCalls transport;
  private final OciSettings settings;
  private final RegistryTransport blobs;
  private final BlobUploader uploader;

  /** A client with connections of its own, made with {@link HttpSettings#DEFAULTS}. */
  public OciClient(OciSettings settings) {
    this(settings, new Connector(HttpSettings.DEFAULTS));
  }

  public OciClient(OciSettings settings, Connector connector) {
    this.settings = settings;
    this.transport = new RegistryCalls(connector, settings);
    this.blobs = new RegistryTransport(transport);
    this.uploader = new BlobUploader(transport, settings);
  }

  /**
   * The transport of {@code oci://REGISTRY/REPOSITORY@sha256:…} sources, with this client's
   * credentials and insecure registries: for the downloader.
   */
  public Transport blobTransport() {
    return blobs;
  }

  private static List<String> pullScope(OciReference ref) {
    return List.of("repository:" + ref.repository() + ":pull");
  }

  static List<String> pushScope(OciReference ref) {
    return List.of("repository:" + ref.repository() + ":pull,push");
  }

  // ---------------------------------------------------------------- pull

  /**
   * Fetches the manifest named by {@code ref} and its config, verifies both, and reads them as a
   * Soko model. The manifest's digest must equal the pinned digest of {@code ref}, or else the
   * registry's {@code Docker-Content-Digest} when it sends one.
   */
  public PulledManifest pullManifest(OciReference ref) throws OciException {
    RegistryCalls.Call call = new RegistryCalls.Call("GET", transport.v2(ref, "/manifests/" + ref.manifestReference()),
        Map.of("Accept", MANIFEST_ACCEPT), HttpRequest.Body.NONE, pullScope(ref));
    byte[] bytes;
    Optional<String> digestHeader;
    String contentType;
    try (HttpResponse resp = transport.send(ref.registry(), call)) {
      int s = resp.status();
      if (s == 404) {
        throw new OciNotFoundException(ref + ": no such model in the registry; check the repository and tag");
      }
      if (s != 200) {
        throw new OciProtocolException(ref + ": the registry answered " + s + " to a manifest request" + resp.errorText(), s);
      }
      try {
        bytes = resp.body().readNBytes(ImageManifest.MAX_BYTES + 1);
      } catch (IOException e) {
        throw new OciTransportException(ref + ": the manifest download broke off: " + e + "; try again", e);
      }
      digestHeader = resp.header("Docker-Content-Digest");
      contentType = resp.header("Content-Type").orElse("").split(";")[0].trim();
    }
    if (bytes.length > ImageManifest.MAX_BYTES) {
      throw new OciFormatException(ref + ": the manifest is larger than 4 MiB, so it is not a model manifest");
    }
    Digest actual = Hashing.sha256(bytes);
    Optional<Digest> expected = ref.digest();
    String claimedBy = "the pinned digest";
    if (expected.isEmpty()) {
      Optional<String> header = digestHeader;
      if (header.isPresent()) {
        try {
          expected = Optional.of(Digest.parse(header.get().trim()));
        } catch (IllegalArgumentException e) {
          throw new OciProtocolException(ref + ": the registry sent a Docker-Content-Digest that is not sha256 (" + header.get() + ")", e);
        }
        claimedBy = "the registry's Docker-Content-Digest";
      }
    }
    if (expected.isPresent() && !expected.get().equals(actual)) {
      throw new OciIntegrityException(ref + ": the manifest hashes to " + actual + " but " + claimedBy + " is " + expected.get()
          + "; the registry or a proxy altered it, so it was not used");
    }
    ImageManifest m = ImageManifest.parse(bytes, ref.toString());
    if (!contentType.isEmpty() && !contentType.equals(m.mediaType())) {
      throw new OciProtocolException(ref + ": the registry labelled the manifest " + contentType + " but it says it is "
          + m.mediaType());
    }
    if (m.config().size() > ImageManifest.MAX_BYTES) {
      throw new OciFormatException(ref + ": the config is " + m.config().size() + " bytes; a ModelPack config is small (at most 4 MiB)");
    }
    byte[] config = fetchSmall(ref, m.config().digest(), (int) m.config().size());
    return ModelPack.read(bytes, actual, config, ref);
  }

  private byte[] fetchSmall(OciReference ref, Digest digest, int size) throws OciException {
    byte[] bytes;
    try (HttpResponse resp = transport.send(ref.registry(),
        RegistryCalls.Call.get(transport.v2(ref, "/blobs/" + digest), pullScope(ref)))) {
      if (resp.status() == 404) {
        throw new OciNotFoundException(ref + ": the registry lacks the config blob " + digest + "; the artifact is incomplete, push it again");
      }
      if (resp.status() != 200) {
        throw new OciProtocolException(ref + ": the registry answered " + resp.status() + " for the config blob" + resp.errorText(),
            resp.status());
      }
      try {
        bytes = resp.body().readNBytes(size + 1);
      } catch (IOException e) {
        throw new OciTransportException(ref + ": the config download broke off: " + e + "; try again", e);
      }
    }
    Digest actual = Hashing.sha256(bytes);
    if (bytes.length != size || !actual.equals(digest)) {
      throw new OciIntegrityException(ref + ": the config blob " + digest + " arrived as " + bytes.length + " bytes hashing to "
          + actual + " (expected " + size + " bytes); the registry serves corrupt data");
    }
    return bytes;
  }

  // ---------------------------------------------------------------- push

  /** {@link #push(OciReference, Manifest, Function, Optional, List, TransferListener)} without mounts or progress. */
  public Digest push(OciReference ref, Manifest model, Function<Digest, Path> blobFiles, Optional<Path> licenseText)
      throws OciException {
    return push(ref, model, blobFiles, licenseText, List.of(), TransferListener.NONE);
  }

  /**
   * Pushes {@code model} as a ModelPack artifact to {@code ref} and returns the manifest digest.
   * Blobs the repository already has are skipped; blobs named in {@code mountFrom} repositories of
   * the same registry are mounted rather than uploaded; the rest are uploaded (one PUT up to
   * {@link OciSettings#monolithicLimit()}, else PATCH chunks, each acknowledged {@code Range}
   * checked). A chunked upload records its progress under {@link OciSettings#uploadState()}, so a
   * push that died is continued by calling this again. The manifest goes last, to the tag of
   * {@code ref} (or its digest when it has no tag), and the registry's digest for it is checked.
   *
   * @param blobFiles the verified file for each file digest of {@code model} (e.g. the store's blob path)
   * @param licenseText a licence text to add as the {@code LICENSE} layer, unless the model has that file
   * @param mountFrom repositories on the same registry that may already hold the blobs
   */
  public Digest push(OciReference ref, Manifest model, Function<Digest, Path> blobFiles, Optional<Path> licenseText,
      List<String> mountFrom, TransferListener listener) throws OciException {
    Optional<Hashing.Measured> lic = Optional.empty();
    if (licenseText.isPresent()) {
      try {
        lic = Optional.of(Hashing.sha256(licenseText.get()));
      } catch (IOException e) {
        throw new OciTransportException("cannot read the licence text " + licenseText.get() + ": " + e.getMessage(), e);
      }
    }
    ModelPackArtifact art = ModelPack.write(model, lic, settings.clock().instant());
    if (ref.digest().isPresent() && !ref.digest().get().equals(art.manifestDigest())) {
      throw new OciFormatException(ref + ": the model's manifest digest is " + art.manifestDigest()
          + ", not the pinned one; push to a tag instead");
    }
    for (LayerRef l : art.layers()) {
      boolean isLicense = lic.isPresent() && l.digest().equals(lic.get().digest()) && model.file(l.path().value()).isEmpty();
      Path file = isLicense ? licenseText.orElseThrow() : blobFiles.apply(l.digest());
      uploader.push(ref, l.digest(), l.size(), new BlobUploader.BlobBody.OfFile(file), mountFrom, listener);
    }
    uploader.push(ref, art.configDigest(), art.config().length, new BlobUploader.BlobBody.OfBytes(art.config()), List.of(), listener);
    String target = ref.tag().orElse(art.manifestDigest().toString());
    try (HttpResponse resp = transport.send(ref.registry(), new RegistryCalls.Call("PUT",
        transport.v2(ref, "/manifests/" + target), Map.of("Content-Type", ImageManifest.OCI_MANIFEST),
        HttpRequest.Body.Bytes.of(art.manifest()), pushScope(ref)))) {
      if (resp.status() != 201) {
        throw new OciProtocolException(ref + ": the registry refused the manifest with " + resp.status() + resp.errorText(),
            resp.status());
      }
      BlobUploader.checkDigestHeader(resp, art.manifestDigest(), ref + ": manifest");
    }
    return art.manifestDigest();
  }
}
