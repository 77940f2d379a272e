package soko.acquisition.oci;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import soko.manifest.Manifest;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * Pulls and pushes ModelPack models from and to any OCI distribution registry. Thread-safe: one
 * instance per process is enough, and it caches bearer tokens.
 *
 * <p>Pull: {@link #pullManifest} reads and verifies the manifest and config; the caller then
 * fetches each {@link LayerRef} with {@link #fetchBlob} into a partial file it owns, and publishes
 * the verified file itself. Push: {@link #push} uploads every blob the registry lacks, then the
 * manifest. Nothing here reads the environment; see {@link OciSettings}.
 */
public final class OciClient {
  static final String MANIFEST_ACCEPT = String.join(", ", ImageManifest.OCI_MANIFEST, ImageManifest.OCI_INDEX,
      ImageManifest.DOCKER_MANIFEST, ImageManifest.DOCKER_LIST);
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern RANGE = Pattern.compile("(?:bytes=)?(\\d+)-(\\d+)");
  private static final int IO_BUFFER = 256 * 1024;

  private final Transport transport;
  private final OciSettings settings;

  public OciClient(OciSettings settings) {
    this.settings = settings;
    this.transport = new Transport(settings);
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
    Transport.Call call = new Transport.Call("GET", transport.v2(ref, "/manifests/" + ref.manifestReference()),
        Map.of("Accept", MANIFEST_ACCEPT), HttpRequest.BodyPublishers::noBody, pullScope(ref));
    HttpResponse<InputStream> resp = transport.send(ref.registry(), call);
    int s = resp.statusCode();
    if (s == 404) {
      Transport.close(resp);
      throw new OciNotFoundException(ref + ": no such model in the registry; check the repository and tag");
    }
    if (s != 200) {
      String err = Transport.errorText(resp);
      throw new OciProtocolException(ref + ": the registry answered " + s + " to a manifest request" + err, s);
    }
    byte[] bytes;
    try (InputStream in = resp.body()) {
      bytes = in.readNBytes(ImageManifest.MAX_BYTES + 1);
    } catch (IOException e) {
      throw new OciTransportException(ref + ": the manifest download broke off: " + e + "; try again", e);
    }
    if (bytes.length > ImageManifest.MAX_BYTES) {
      throw new OciFormatException(ref + ": the manifest is larger than 4 MiB, so it is not a model manifest");
    }
    Digest actual = Hashing.sha256(bytes);
    Optional<Digest> expected = ref.digest();
    String claimedBy = "the pinned digest";
    if (expected.isEmpty()) {
      Optional<String> header = resp.headers().firstValue("Docker-Content-Digest");
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
    String contentType = resp.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
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
    HttpResponse<InputStream> resp = transport.send(ref.registry(), new Transport.Call("GET",
        transport.v2(ref, "/blobs/" + digest), Map.of(), HttpRequest.BodyPublishers::noBody, pullScope(ref)));
    if (resp.statusCode() == 404) {
      Transport.close(resp);
      throw new OciNotFoundException(ref + ": the registry lacks the config blob " + digest + "; the artifact is incomplete, push it again");
    }
    if (resp.statusCode() != 200) {
      String err = Transport.errorText(resp);
      throw new OciProtocolException(ref + ": the registry answered " + resp.statusCode() + " for the config blob" + err,
          resp.statusCode());
    }
    byte[] bytes;
    try (InputStream in = resp.body()) {
      bytes = in.readNBytes(size + 1);
    } catch (IOException e) {
      throw new OciTransportException(ref + ": the config download broke off: " + e + "; try again", e);
    }
    Digest actual = Hashing.sha256(bytes);
    if (bytes.length != size || !actual.equals(digest)) {
      throw new OciIntegrityException(ref + ": the config blob " + digest + " arrived as " + bytes.length + " bytes hashing to "
          + actual + " (expected " + size + " bytes); the registry serves corrupt data");
    }
    return bytes;
  }

  /**
   * Downloads blob {@code digest} of {@code ref}'s repository into {@code partial}, resuming from
   * the bytes already in it, and verifies size and sha256 before returning {@code partial}.
   *
   * <p>Resume: with {@code n} bytes on disk it asks for {@code Range: bytes=n-} and appends only on
   * a 206 whose {@code Content-Range} starts at {@code n}; a 200 (range ignored) or a 206 at
   * another offset truncates and starts over; a 416 means the partial is unusable and is
   * discarded. The prefix is re-hashed, so the check covers every byte. A connection failure is
   * retried up to {@link OciSettings#attempts()} times, each resuming from disk and starting again
   * at the registry (redirect targets are never reused). The partial is kept on transport errors
   * and deleted when its bytes prove wrong. The caller owns {@code partial} and moves it into the
   * store; it is fsynced before return.
   */
  public Path fetchBlob(OciReference ref, Digest digest, long size, Path partial, TransferListener listener) throws OciException {
    List<OciException> failures = new ArrayList<>();
    Duration wait = settings.backoff();
    for (int attempt = 1; ; attempt++) {
      try {
        return fetchOnce(ref, digest, size, partial, listener);
      } catch (OciTransportException | OciProtocolException e) {
        if (!e.retryable() || attempt >= settings.attempts()) {
          failures.forEach(e::addSuppressed);
          throw e;
        }
        failures.add(e);
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        OciTransportException e = new OciTransportException("interrupted while waiting to retry " + digest, ie);
        failures.forEach(e::addSuppressed);
        throw e;
      }
      wait = wait.multipliedBy(2);
    }
  }

  private Path fetchOnce(OciReference ref, Digest digest, long size, Path partial, TransferListener listener) throws OciException {
    String what = ref.blobUri(digest);
    try {
      long have = Files.exists(partial, LinkOption.NOFOLLOW_LINKS) ? Files.size(partial) : 0;
      if (have > size) {
        listener.restarted(digest, "the partial file is larger than the blob");
        truncate(partial, 0);
        have = 0;
      }
      if (have == size && size > 0) {
        Hashing.Measured m = Hashing.sha256(partial);
        if (m.digest().equals(digest)) {
          return partial;
        }
        listener.restarted(digest, "the complete partial file has the wrong sha256");
        truncate(partial, 0);
        have = 0;
      }
      for (int round = 0; round < 2; round++) {
        Map<String, String> headers = have > 0 ? Map.of("Range", "bytes=" + have + "-") : Map.of();
        HttpResponse<InputStream> resp = transport.send(ref.registry(), new Transport.Call("GET",
            transport.v2(ref, "/blobs/" + digest), headers, HttpRequest.BodyPublishers::noBody, pullScope(ref)));
        int s = resp.statusCode();
        long start;
        if (s == 200) {
          if (have > 0) {
            listener.restarted(digest, "the server ignored the Range request");
          }
          start = 0;
        } else if (s == 206 && have > 0) {
          Matcher cr = CONTENT_RANGE.matcher(resp.headers().firstValue("Content-Range").orElse(""));
          if (!cr.matches() || Long.parseLong(cr.group(1)) != have) {
            Transport.close(resp);
            listener.restarted(digest, "the server answered a different range ("
                + resp.headers().firstValue("Content-Range").orElse("none") + ")");
            truncate(partial, 0);
            have = 0;
            continue;
          }
          if (!cr.group(3).equals("*") && Long.parseLong(cr.group(3)) != size) {
            Transport.close(resp);
            truncate(partial, 0);
            throw new OciIntegrityException(what + ": the registry says the blob is " + cr.group(3) + " bytes, but the manifest says "
                + size + "; the artifact is inconsistent");
          }
          start = have;
        } else if (s == 416 && have > 0) {
          Transport.close(resp);
          listener.restarted(digest, "the server cannot resume at byte " + have);
          truncate(partial, 0);
          have = 0;
          continue;
        } else if (s == 404) {
          Transport.close(resp);
          throw new OciNotFoundException(what + ": the registry does not have this layer; the artifact is incomplete, push it again");
        } else {
          String err = Transport.errorText(resp);
          throw new OciProtocolException(what + ": the registry answered " + s + " for a layer download" + err, s);
        }
        return receive(resp, what, digest, size, partial, start, listener);
      }
      throw new OciProtocolException(what + ": the registry did not honour a resume request twice; try again later");
    } catch (IOException e) {
      throw new OciTransportException(what + ": cannot write " + partial + ": " + e.getMessage() + "; check free disk space", e);
    }
  }

  private Path receive(HttpResponse<InputStream> resp, String what, Digest digest, long size, Path partial, long start,
      TransferListener listener) throws OciException, IOException {
    MessageDigest md = Hashing.newSha256();
    if (start > 0) {
      Hashing.updateFromPrefix(md, partial, start);
    }
    listener.started(digest, start, size);
    long done = start;
    try (InputStream in = resp.body();
        FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      out.truncate(start);
      out.position(start);
      byte[] buf = new byte[IO_BUFFER];
      int n;
      while (true) {
        try {
          n = in.read(buf);
        } catch (IOException e) {
          out.force(true);
          throw new OciTransportException(what + ": the download broke off after " + done + " of " + size + " bytes: " + e
              + "; it resumes from there on the next try", e);
        }
        if (n < 0) {
          break;
        }
        if (done + n > size) {
          out.close();
          Files.deleteIfExists(partial);
          throw new OciIntegrityException(what + ": the registry sent more than the " + size + " bytes the manifest promises;"
              + " the download was discarded");
        }
        md.update(buf, 0, n);
        out.write(ByteBuffer.wrap(buf, 0, n));
        done += n;
        listener.progressed(digest, done, size);
      }
      out.force(true);
    }
    if (done < size) {
      throw new OciTransportException(what + ": the download ended after " + done + " of " + size + " bytes; it resumes from there"
          + " on the next try");
    }
    Digest actual = Digest.of(md.digest());
    if (!actual.equals(digest)) {
      Files.deleteIfExists(partial);
      throw new OciIntegrityException(what + ": the downloaded bytes hash to " + actual + ", not " + digest
          + "; the registry serves corrupt data, so the download was discarded");
    }
    return partial;
  }

  private static void truncate(Path file, long length) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      ch.truncate(length);
    }
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
    ModelPackArtifact art = ModelPack.write(model, lic);
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
    byte[] manifest = art.manifest();
    HttpResponse<InputStream> resp = transport.send(ref.registry(), new Transport.Call("PUT",
        transport.v2(ref, "/manifests/" + target), Map.of("Content-Type", ImageManifest.OCI_MANIFEST),
        () -> HttpRequest.BodyPublishers.ofByteArray(manifest), pushScope(ref)));
    if (resp.statusCode() != 201) {
      String err = Transport.errorText(resp);
      throw new OciProtocolException(ref + ": the registry refused the manifest with " + resp.statusCode() + err, resp.statusCode());
    }
    checkDigestHeader(resp, art.manifestDigest(), ref + ": manifest");
    Transport.close(resp);
    return art.manifestDigest();
  }

  private static void checkDigestHeader(HttpResponse<InputStream> resp, Digest expected, String what) throws OciIntegrityException {
    Optional<String> h = resp.headers().firstValue("Docker-Content-Digest");
    if (h.isPresent() && !h.get().trim().equals(expected.toString())) {
      Transport.close(resp);
      throw new OciIntegrityException(what + ": the registry stored it as " + h.get().trim() + ", not " + expected
          + "; it altered the bytes, push again");
    }
  }

  /** The bytes of one blob to upload, readable again from any offset. */
  sealed interface BlobBody {
    HttpRequest.BodyPublisher slice(long offset, long length);

    record OfFile(Path file) implements BlobBody {
      @Override
      public HttpRequest.BodyPublisher slice(long offset, long length) {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
          try {
            InputStream in = Files.newInputStream(file);
            in.skipNBytes(offset);
            return new java.io.FilterInputStream(in) {
              long left = length;

              @Override
              public int read() throws IOException {
                if (left <= 0) {
                  return -1;
                }
                int b = super.read();
                if (b >= 0) {
                  left--;
                }
                return b;
              }

              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                  return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                  left -= n;
                }
                return n;
              }
            };
          } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
          }
        }), length);
      }
    }

    record OfBytes(byte[] bytes) implements BlobBody {
      @Override
      public HttpRequest.BodyPublisher slice(long offset, long length) {
        return HttpRequest.BodyPublishers.ofByteArray(bytes, (int) offset, (int) length);
      }
    }
  }

  private void pushBlob(OciReference ref, Digest digest, long size, BlobBody body, List<String> mountFrom, TransferListener listener)
      throws OciException {
    String what = ref.blobUri(digest);
    List<String> scopes = pushScope(ref);
    HttpResponse<InputStream> head = transport.send(ref.registry(), new Transport.Call("HEAD",
        transport.v2(ref, "/blobs/" + digest), Map.of(), HttpRequest.BodyPublishers::noBody, scopes));
    Transport.close(head);
    if (head.statusCode() == 200) {
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
        HttpResponse<InputStream> r = transport.send(ref.registry(), new Transport.Call("POST",
            transport.v2(ref, "/blobs/uploads/?mount=" + digest + "&from=" + from), Map.of(),
            HttpRequest.BodyPublishers::noBody, mountScopes));
        Transport.close(r);
        if (r.statusCode() == 201) {
          listener.skipped(digest, "mounted from " + from);
          return;
        }
        if (r.statusCode() == 202 && r.headers().firstValue("Location").isPresent()) {
          location = Optional.of(resolve(r.request().uri(), r.headers().firstValue("Location").get()));
          break;
        }
      }
    }
    long minChunk = 0;
    if (location.isEmpty()) {
      HttpResponse<InputStream> r = transport.send(ref.registry(), new Transport.Call("POST",
          transport.v2(ref, "/blobs/uploads/"), Map.of(), HttpRequest.BodyPublishers::noBody, scopes));
      Transport.close(r);
      if (r.statusCode() != 202 || r.headers().firstValue("Location").isEmpty()) {
        throw new OciProtocolException(what + ": the registry answered " + r.statusCode() + " to starting an upload", r.statusCode());
      }
      location = Optional.of(resolve(r.request().uri(), r.headers().firstValue("Location").get()));
      minChunk = r.headers().firstValue("OCI-Chunk-Min-Length").map(OciClient::parseLongOrZero).orElse(0L);
    }
    String loc = location.get();
    listener.started(digest, offset, size);
    if (offset == 0 && size <= settings.monolithicLimit()) {
      finish(ref, digest, size, loc, body.slice(0, size), 0, size, scopes, what);
      listener.progressed(digest, size, size);
      return;
    }
    long chunk = Math.max(settings.chunkSize(), minChunk);
    while (offset < size) {
      long n = Math.min(chunk, size - offset);
      long end = offset + n - 1;
      long from = offset;
      HttpResponse<InputStream> r = transport.send(ref.registry(), new Transport.Call("PATCH", URI.create(loc),
          Map.of("Content-Type", "application/octet-stream", "Content-Range", from + "-" + end),
          () -> body.slice(from, n), scopes));
      Transport.close(r);
      if (r.statusCode() == 404) {
        deleteState(ref, digest);
        throw new OciProtocolException(what + ": the registry forgot the upload (BLOB_UPLOAD_UNKNOWN); push again to start over", 404);
      }
      if (r.statusCode() != 202 && r.statusCode() != 416) {
        throw new OciProtocolException(what + ": the registry answered " + r.statusCode() + " to an upload chunk", r.statusCode());
      }
      if (r.headers().firstValue("Location").isPresent()) {
        loc = resolve(r.request().uri(), r.headers().firstValue("Location").get());
      }
      Matcher m = RANGE.matcher(r.headers().firstValue("Range").orElse(""));
      if (r.statusCode() == 202 && m.matches() && Long.parseLong(m.group(1)) == 0 && Long.parseLong(m.group(2)) == end) {
        offset = end + 1;
      } else {
        // distribution 2.8.2 accepts a chunk at the wrong offset with 202; ask where the upload really is.
        Optional<Long> truth = uploadStatus(ref, URI.create(loc), scopes);
        if (truth.isEmpty() || truth.get() > end + 1) {
          deleteState(ref, digest);
          throw new OciProtocolException(what + ": the registry's upload is at an unexpected offset ("
              + r.headers().firstValue("Range").orElse("no Range header") + " after sending " + from + "-" + end
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
    finish(ref, digest, size, loc, HttpRequest.BodyPublishers.noBody(), 0, 0, scopes, what);
  }

  private void finish(OciReference ref, Digest digest, long size, String loc, HttpRequest.BodyPublisher publisher, long from, long n,
      List<String> scopes, String what) throws OciException {
    String url = loc + (loc.contains("?") ? "&" : "?") + "digest=" + digest;
    Map<String, String> headers = n > 0
        ? Map.of("Content-Type", "application/octet-stream")
        : Map.of();
    HttpResponse<InputStream> r = transport.send(ref.registry(), new Transport.Call("PUT", URI.create(url), headers,
        () -> publisher, scopes));
    if (r.statusCode() != 201) {
      String err = Transport.errorText(r);
      deleteState(ref, digest);
      if (r.statusCode() == 400) {
        throw new OciIntegrityException(what + ": the registry refused the upload (" + r.statusCode() + err
            + "); the local file no longer matches its digest, or the upload was corrupted: verify the model and push again");
      }
      throw new OciProtocolException(what + ": the registry answered " + r.statusCode() + " to completing an upload" + err,
          r.statusCode());
    }
    checkDigestHeader(r, digest, what);
    Transport.close(r);
    deleteState(ref, digest);
  }

  /** The number of bytes the registry holds for the upload at {@code location}, or empty when the upload is gone. */
  private Optional<Long> uploadStatus(OciReference ref, URI location, List<String> scopes) throws OciException {
    HttpResponse<InputStream> r = transport.send(ref.registry(), new Transport.Call("GET", location, Map.of(),
        HttpRequest.BodyPublishers::noBody, scopes));
    Transport.close(r);
    if (r.statusCode() != 204) {
      return Optional.empty();
    }
    Matcher m = RANGE.matcher(r.headers().firstValue("Range").orElse(""));
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

  private static String resolve(URI base, String location) {
    return base.resolve(location).toString();
  }

  private static long parseLongOrZero(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
