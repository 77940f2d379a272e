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
import soko.acquisition.HttpRequest;
import soko.acquisition.HttpResponse;
import soko.manifest.Manifest;
import soko.verification.Digest;

/**
 * Uploads one blob to a repository, as {@link OciClient#push(OciReference, Manifest, Function,
 * Optional, List, TransferListener)} describes: skipped when the registry has it, mounted from
 * another repository when it can be, else one PUT or PATCH chunks whose acknowledged {@code Range}
 * is checked, the progress of a chunked upload recorded in {@link UploadState} so that a later
 * push continues it. Thread-safe.
 */
final class BlobUploader {
  private static final Pattern RANGE = Pattern.compile("(?:bytes=)?(\\d+)-(\\d+)");

  private final RegistryCalls transport;
  private final OciSettings settings;

  BlobUploader(RegistryCalls transport, OciSettings settings) {
    this.transport = transport;
    this.settings = settings;
  }

  static void checkDigestHeader(HttpResponse resp, Digest expected, String what) throws OciIntegrityException {
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

  void push(OciReference ref, Digest digest, long size, BlobBody body, List<String> mountFrom, TransferListener listener)
      throws OciException {
    String what = ref.blobUri(digest);
    List<String> scopes = OciClient.pushScope(ref);
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
          throw OciRequestException.protocol(what + ": the registry answered " + r.status() + " to starting an upload", r.status());
        }
        location = location(r);
        minChunk = r.header("OCI-Chunk-Min-Length").map(BlobUploader::parseLongOrZero).orElse(0L);
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
        throw OciRequestException.protocol(what + ": the registry forgot the upload (BLOB_UPLOAD_UNKNOWN); push again to start over", 404);
      }
      if (status != 202 && status != 416) {
        throw OciRequestException.protocol(what + ": the registry answered " + status + " to an upload chunk", status);
      }
      Matcher m = RANGE.matcher(range.orElse(""));
      if (status == 202 && m.matches() && Long.parseLong(m.group(1)) == 0 && Long.parseLong(m.group(2)) == end) {
        offset = end + 1;
      } else {
        // distribution 2.8.2 accepts a chunk at the wrong offset with 202; ask where the upload really is.
        Optional<Long> truth = uploadStatus(ref, URI.create(loc), scopes);
        if (truth.isEmpty() || truth.get() > end + 1) {
          deleteState(ref, digest);
          throw OciRequestException.protocol(what + ": the registry's upload is at an unexpected offset ("
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
          throw OciRequestException.transport("cannot record the upload state in " + stateDir.get() + ": " + e.getMessage()
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
        throw OciRequestException.protocol(what + ": the registry answered " + r.status() + " to completing an upload" + err,
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

  private void deleteState(OciReference ref, Digest digest) throws OciRequestException {
    if (settings.uploadState().isPresent()) {
      try {
        UploadState.delete(settings.uploadState().get(), ref.registry(), ref.repository(), digest);
      } catch (IOException e) {
        throw OciRequestException.transport("cannot remove the upload state in " + settings.uploadState().get() + ": " + e.getMessage(), e);
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
