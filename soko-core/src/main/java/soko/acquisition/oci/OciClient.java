package soko.acquisition.oci;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern RANGE = Pattern.compile("(?:bytes=)?(\\d+)-(\\d+)");

  private final RegistryCalls transport;
  private final OciSettings settings;
  private final RegistryTransport blobs;

  /** A client with connections of its own, made with {@link HttpSettings#DEFAULTS}. */
  public OciClient(OciSettings settings) {
    this(settings, new Connector(HttpSettings.DEFAULTS));
  }

  public OciClient(OciSettings settings, Connector connector) {
    this.settings = settings;
    this.transport = new RegistryCalls(connector, settings);
    this.blobs = new RegistryTransport(transport);
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

  private static List<String> pushScope(OciReference ref) {
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
      pushBlob(ref, l.digest(), l.size(), new BlobBody.OfFile(file), mountFrom, listener);
    }
    pushBlob(ref, art.configDigest(), art.config().length, new BlobBody.OfBytes(art.config()), List.of(), listener);
    String target = ref.tag().orElse(art.manifestDigest().toString());
    try (HttpResponse resp = transport.send(ref.registry(), new RegistryCalls.Call("PUT",
        transport.v2(ref, "/manifests/" + target), Map.of("Content-Type", ImageManifest.OCI_MANIFEST),
        HttpRequest.Body.Bytes.of(art.manifest()), pushScope(ref)))) {
      if (resp.status() != 201) {
        throw new OciProtocolException(ref + ": the registry refused the manifest with " + resp.status() + resp.errorText(),
            resp.status());
      }
      checkDigestHeader(resp, art.manifestDigest(), ref + ": manifest");
    }
    return art.manifestDigest();
  }

  private static void checkDigestHeader(HttpResponse resp, Digest expected, String what) throws OciIntegrityException {
    Optional<String> h = resp.header("Docker-Content-Digest");
    if (h.isPresent() && !h.get().trim().equals(expected.toString())) {
      throw new OciIntegrityException(what + ": the registry stored it as " + h.get().trim() + ", not " + expected
          + "; it altered the bytes, push again");
    }
  }

  /** The bytes of one blob to upload, readable again from any offset. */
  sealed interface BlobBody {
    HttpRequest.Body slice(long offset, long length);

    record OfFile(Path file) implements BlobBody {
      @Override
      public HttpRequest.Body slice(long offset, long length) {
        return new HttpRequest.Body.FileSlice(file, offset, length);
      }
    }

    record OfBytes(byte[] bytes) implements BlobBody {
      @Override
      public HttpRequest.Body slice(long offset, long length) {
        return new HttpRequest.Body.Bytes(bytes, (int) offset, (int) length);
      }
    }
  }

  /** A response's {@code Location}, resolved against the URL it came from. */
  private static Optional<String> location(HttpResponse r) {
    return r.header("Location").map(l -> r.uri().resolve(l).toString());
  }

  private void pushBlob(OciReference ref, Digest digest, long size, BlobBody body, List<String> mountFrom, TransferListener listener)
      throws OciException {
    String what = ref.blobUri(digest);
    List<String> scopes = pushScope(ref);
    int headStatus;
    try (HttpResponse head = transport.send(ref.registry(), new RegistryCalls.Call("HEAD",
        transport.v2(ref, "/blobs/" + digest), Map.of(), HttpRequest.Body.NONE, scopes))) {
      headStatus = head.status();
    }
    if (headStatus == 200) {
      listener.skipped(digest, "the registry already has it");
      return;
    }
    Optional<Path> stateDir = settings.uploadState();
    Optional<String> location = Optional.empty();
    long offset = 0;
    if (stateDir.isPresent()) {
      Optional<UploadState> saved = UploadState.load(stateDir.get(), ref.registry(), ref.repository(), digest);
      if (saved.isPresent()) {
        Optional<Long> confirmed = uploadStatus(ref, URI.create(saved.get().location()), scopes);
        if (confirmed.isPresent()) {
          location = Optional.of(saved.get().location());
          offset = confirmed.get();
        } else {
          deleteState(ref, digest);
        }
      }
    }
    if (location.isEmpty()) {
      for (String from : mountFrom) {
        if (from.equals(ref.repository())) {
          continue;
        }
        List<String> mountScopes = List.of(scopes.get(0), "repository:" + from + ":pull");
        try (HttpResponse r = transport.send(ref.registry(), new RegistryCalls.Call("POST",
            transport.v2(ref, "/blobs/uploads/?mount=" + digest + "&from=" + from), Map.of(),
            HttpRequest.Body.NONE, mountScopes))) {
          if (r.status() == 201) {
            listener.skipped(digest, "mounted from " + from);
            return;
          }
          if (r.status() == 202 && r.header("Location").isPresent()) {
            location = location(r);
            break;
          }
        }
      }
    }
    long minChunk = 0;
    if (location.isEmpty()) {
      try (HttpResponse r = transport.send(ref.registry(), new RegistryCalls.Call("POST",
          transport.v2(ref, "/blobs/uploads/"), Map.of(), HttpRequest.Body.NONE, scopes))) {
        if (r.status() != 202 || r.header("Location").isEmpty()) {
          throw new OciProtocolException(what + ": the registry answered " + r.status() + " to starting an upload", r.status());
        }
        location = location(r);
        minChunk = r.header("OCI-Chunk-Min-Length").map(OciClient::parseLongOrZero).orElse(0L);
      }
    }
    String loc = location.get();
    listener.started(digest, offset, size);
    if (offset == 0 && size <= settings.monolithicLimit()) {
      finish(ref, digest, loc, body.slice(0, size), scopes, what);
      listener.progressed(digest, size, size);
      return;
    }
    long chunk = Math.max(settings.chunkSize(), minChunk);
    while (offset < size) {
      long n = Math.min(chunk, size - offset);
      long end = offset + n - 1;
      long from = offset;
      int status;
      Optional<String> range;
      try (HttpResponse r = transport.send(ref.registry(), new RegistryCalls.Call("PATCH", URI.create(loc),
          Map.of("Content-Type", "application/octet-stream", "Content-Range", from + "-" + end),
          body.slice(from, n), scopes))) {
        status = r.status();
        range = r.header("Range");
        if (r.header("Location").isPresent()) {
          loc = location(r).orElseThrow();
        }
      }
      if (status == 404) {
        deleteState(ref, digest);
        throw new OciProtocolException(what + ": the registry forgot the upload (BLOB_UPLOAD_UNKNOWN); push again to start over", 404);
      }
      if (status != 202 && status != 416) {
        throw new OciProtocolException(what + ": the registry answered " + status + " to an upload chunk", status);
      }
      Matcher m = RANGE.matcher(range.orElse(""));
      if (status == 202 && m.matches() && Long.parseLong(m.group(1)) == 0 && Long.parseLong(m.group(2)) == end) {
        offset = end + 1;
      } else {
        // distribution 2.8.2 accepts a chunk at the wrong offset with 202; ask where the upload really is.
        Optional<Long> truth = uploadStatus(ref, URI.create(loc), scopes);
        if (truth.isEmpty() || truth.get() > end + 1) {
          deleteState(ref, digest);
          throw new OciProtocolException(what + ": the registry's upload is at an unexpected offset ("
              + range.orElse("no Range header") + " after sending " + from + "-" + end
              + "); push again to start over");
        }
        listener.restarted(digest, "the registry holds " + truth.get() + " bytes, continuing from there");
        offset = truth.get();
      }
      if (stateDir.isPresent()) {
        try {
          new UploadState(ref.registry(), ref.repository(), digest, loc, offset).save(stateDir.get());
        } catch (IOException e) {
          throw new OciTransportException("cannot record the upload state in " + stateDir.get() + ": " + e.getMessage()
              + "; check that the folder is writable", e);
        }
      }
      listener.progressed(digest, offset, size);
    }
    finish(ref, digest, loc, HttpRequest.Body.NONE, scopes, what);
  }

  private void finish(OciReference ref, Digest digest, String loc, HttpRequest.Body body, List<String> scopes, String what)
      throws OciException {
    String url = loc + (loc.contains("?") ? "&" : "?") + "digest=" + digest;
    Map<String, String> headers = body.length() > 0 ? Map.of("Content-Type", "application/octet-stream") : Map.of();
    try (HttpResponse r = transport.send(ref.registry(), new RegistryCalls.Call("PUT", URI.create(url), headers, body,
        scopes))) {
      if (r.status() != 201) {
        String err = r.errorText();
        deleteState(ref, digest);
        if (r.status() == 400) {
          throw new OciIntegrityException(what + ": the registry refused the upload (" + r.status() + err
              + "); the local file no longer matches its digest, or the upload was corrupted: verify the model and push again");
        }
        throw new OciProtocolException(what + ": the registry answered " + r.status() + " to completing an upload" + err,
            r.status());
      }
      checkDigestHeader(r, digest, what);
    }
    deleteState(ref, digest);
  }

  /** The number of bytes the registry holds for the upload at {@code location}, or empty when the upload is gone. */
  private Optional<Long> uploadStatus(OciReference ref, URI location, List<String> scopes) throws OciException {
    int status;
    Optional<String> range;
    try (HttpResponse r = transport.send(ref.registry(), RegistryCalls.Call.get(location, scopes))) {
      status = r.status();
      range = r.header("Range");
    }
    if (status != 204) {
      return Optional.empty();
    }
    Matcher m = RANGE.matcher(range.orElse(""));
    if (!m.matches()) {
      return Optional.of(0L);
    }
    long end = Long.parseLong(m.group(2));
    // distribution answers "0-0" for an empty upload as well as for one byte; chunks are never one byte.
    return Optional.of(end == 0 ? 0L : end + 1);
  }

  private void deleteState(OciReference ref, Digest digest) throws OciTransportException {
    if (settings.uploadState().isPresent()) {
      try {
        UploadState.delete(settings.uploadState().get(), ref.registry(), ref.repository(), digest);
      } catch (IOException e) {
        throw new OciTransportException("cannot remove the upload state in " + settings.uploadState().get() + ": " + e.getMessage(), e);
      }
    }
  }

  private static long parseLongOrZero(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
