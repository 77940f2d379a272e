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

  /**
   * A client with connections of its own, made with {@link HttpSettings#DEFAULTS}.
   *
   * @param settings credentials, insecure registries, upload limits and the clock
   */
  public OciClient(OciSettings settings) {
    this(settings, new Connector(HttpSettings.DEFAULTS));
  }

  /**
   * A client whose requests all go through {@code connector} (its timeouts, proxy and TLS trust).
   *
   * @param settings credentials, insecure registries, upload limits and the clock
   * @param connector the connector every registry and token request is sent through
   */
  public OciClient(OciSettings settings, Connector connector) {
    this.settings = settings;
    this.transport = new RegistryCalls(connector, settings);
    this.blobs = new RegistryTransport(transport);
    this.uploader = new BlobUploader(transport, settings);
  }

  /**
   * The transport of {@code oci://REGISTRY/REPOSITORY@sha256:…} sources, with this client's
   * credentials and insecure registries: for the downloader.
   *
   * @return the transport; the same instance on every call, thread-safe
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
   * registry's {@code Docker-Content-Digest} when it sends one. The manifest and the config are each
   * read up to 4 MiB.
   *
   * @param ref the model: a registry, a repository, and a tag or a pinned digest
   * @return the model read from the verified manifest and config; its packed layers (if any) are
   *     still to be unpacked
   * @throws OciNotFoundException when the registry has no such manifest, or lacks its config blob
   * @throws OciIntegrityException when the manifest does not hash to the pinned or announced digest,
   *     or the config does not match its descriptor
   * @throws OciFormatException when the manifest or config is larger than 4 MiB, or the artifact is
   *     not a ModelPack model Soko can read
   * @throws OciAuthException when the registry refuses the credentials, or would get them over plain
   *     http
   * @throws OciRequestException when the registry answers with another status, labels the manifest
   *     with another media type, or sends a malformed digest header, or when the connection fails or
   *     breaks off
   * @throws OciException for any of the above (the declared supertype)
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
        throw OciRequestException.protocol(ref + ": the registry answered " + s + " to a manifest request" + resp.errorText(), s);
      }
      try {
        bytes = resp.body().readNBytes(ImageManifest.MAX_BYTES + 1);
      } catch (IOException e) {
        throw OciRequestException.transport(ref + ": the manifest download broke off: " + e + "; try again", e);
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
          throw OciRequestException.protocol(ref + ": the registry sent a Docker-Content-Digest that is not sha256 (" + header.get() + ")", e);
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
      throw OciRequestException.protocol(ref + ": the registry labelled the manifest " + contentType + " but it says it is "
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
        throw OciRequestException.protocol(ref + ": the registry answered " + resp.status() + " for the config blob" + resp.errorText(),
            resp.status());
      }
      try {
        bytes = resp.body().readNBytes(size + 1);
      } catch (IOException e) {
        throw OciRequestException.transport(ref + ": the config download broke off: " + e + "; try again", e);
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

  /**
   * {@link #push(OciReference, Manifest, Function, Optional, List, TransferListener)} without mounts or
   * progress.
   *
   * @param ref where to push: the tag to set, or a pinned digest the artifact must have
   * @param model the model to publish
   * @param blobFiles the verified file for each file digest of {@code model} (e.g. the store's blob path)
   * @param licenseText a licence text to add as the {@code LICENSE} layer, unless the model has that
   *     file; empty for none
   * @return the digest of the manifest pushed
   * @throws OciException as the full overload throws it
   */
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
   * @param ref where to push: the tag to set, or a pinned digest the artifact must have
   * @param model the model to publish
   * @param blobFiles the verified file for each file digest of {@code model} (e.g. the store's blob path)
   * @param licenseText a licence text to add as the {@code LICENSE} layer, unless the model has that
   *     file; empty for none
   * @param mountFrom repositories on the same registry that may already hold the blobs; may be empty
   * @param listener told when each blob starts, progresses, restarts or is skipped ({@link
   *     TransferListener#NONE} for nothing)
   * @return the digest of the manifest pushed
   * @throws OciFormatException when {@code ref} pins a digest other than the artifact's
   * @throws OciIntegrityException when the registry stores a blob or the manifest under another
   *     digest, or refuses an upload as not matching its digest
   * @throws OciAuthException when the registry refuses the credentials for pushing
   * @throws OciRequestException when the registry refuses the manifest, answers an upload step with
   *     an unexpected status or offset, or forgets an upload; or when the connection fails, or the
   *     licence text or the upload state cannot be read or written
   * @throws OciException for any of the above (the declared supertype)
   */
  public Digest push(OciReference ref, Manifest model, Function<Digest, Path> blobFiles, Optional<Path> licenseText,
      List<String> mountFrom, TransferListener listener) throws OciException {
    Optional<Hashing.Measured> lic = Optional.empty();
    if (licenseText.isPresent()) {
      try {
        lic = Optional.of(Hashing.sha256(licenseText.get()));
      } catch (IOException e) {
        throw OciRequestException.transport("cannot read the licence text " + licenseText.get() + ": " + e.getMessage(), e);
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
        throw OciRequestException.protocol(ref + ": the registry refused the manifest with " + resp.status() + resp.errorText(),
            resp.status());
      }
      BlobUploader.checkDigestHeader(resp, art.manifestDigest(), ref + ": manifest");
    }
    return art.manifestDigest();
  }
}
