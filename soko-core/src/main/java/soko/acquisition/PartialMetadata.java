package soko.acquisition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.ModelFile;
import soko.verification.Digest;

/**
 * What is known about a partial download, stored beside it as {@code <sha256>.json}:
 *
 * <pre>
 * {
 *   "schemaVersion" : 1,
 *   "sha256" : "9ae9e251207746e023083855715573e6a55adbe8694dca08fde77ce4d7d21249",
 *   "size" : 268435456,
 *   "url" : "https://models.example.org/asr/model.bin",
 *   "etag" : "\"6571a0c4-10000000\"",
 *   "lastModified" : "Thu, 07 Dec 2026 10:12:04 GMT",
 *   "bytes" : 67108864
 * }
 * </pre>
 *
 * <p>{@code url} is the source URL requested (before redirects); {@code etag} (strong only) and
 * {@code lastModified} are the validators the server sent for it, either may be absent; {@code
 * bytes} is how many bytes of {@code <sha256>.partial} were on disk (fsynced) when this was
 * written. Bytes past it are not trusted after a crash.
 */
record PartialMetadata(Digest sha256, long size, URI url, Optional<String> etag, Optional<String> lastModified,
    long bytes) {
  static final int SCHEMA_VERSION = 1;
  private static final long MAX_BYTES = 64 * 1024;
  private static final Set<String> FIELDS = Set.of("schemaVersion", "sha256", "size", "url", "etag", "lastModified",
      "bytes");

  PartialMetadata {
    if (bytes < 0 || bytes > size) {
      throw new IllegalArgumentException("bytes " + bytes + " is outside 0.." + size);
    }
  }

  /** The value for {@code If-Range}: the strong ETag if there is one, else Last-Modified. */
  Optional<String> validator() {
    return etag.or(() -> lastModified);
  }

  boolean describes(ModelFile file) {
    return sha256.equals(file.sha256()) && size == file.size();
  }

  PartialMetadata withBytes(long n) {
    return new PartialMetadata(sha256, size, url, etag, lastModified, n);
  }

  byte[] toJson() {
    ObjectNode o = Json.object();
    o.put("schemaVersion", SCHEMA_VERSION);
    o.put("sha256", sha256.hex());
    o.put("size", size);
    o.put("url", url.toString());
    etag.ifPresent(v -> o.put("etag", v));
    lastModified.ifPresent(v -> o.put("lastModified", v));
    o.put("bytes", bytes);
    return Json.write(o);
  }

  static PartialMetadata parse(byte[] json) throws JsonProblem {
    Node root = Json.parse(json, MAX_BYTES, "partial download record").object(FIELDS);
    long version = root.get("schemaVersion").integer(1, Integer.MAX_VALUE);
    if (version != SCHEMA_VERSION) {
      throw root.get("schemaVersion").problem("version " + version + " is not supported; expected " + SCHEMA_VERSION);
    }
    Digest sha = root.get("sha256").parse(Digest::ofHex, "64 lower-case hex digits");
    long size = root.get("size").integer(0, ModelFile.MAX_SIZE);
    URI url = root.get("url").parse(s -> {
      try {
        return new URI(s);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(e.getReason());
      }
    }, "a URL");
    Optional<String> etag = root.opt("etag").isPresent() ? Optional.of(root.get("etag").text()) : Optional.empty();
    Optional<String> lm = root.opt("lastModified").isPresent()
        ? Optional.of(root.get("lastModified").text()) : Optional.empty();
    long bytes = root.get("bytes").integer(0, size);
    return new PartialMetadata(sha, size, url, etag, lm, bytes);
  }

  /** Reads a record, or empty when it is missing or unreadable (then the partial is not trusted). */
  static Optional<PartialMetadata> read(Path file) {
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) {
        return Optional.empty();
      }
      return Optional.of(parse(Files.readAllBytes(file)));
    } catch (IOException | JsonProblem | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Writes atomically: a temp file beside it, fsync, rename over, fsync the folder. */
  void write(Path file, Path temp) throws IOException {
    // A leftover temp (or anything planted at its name) is removed as an entry, never followed,
    // and the temp is created new (O_EXCL never follows a link). Written through a stream, not a
    // FileChannel: this runs while a fetch may be interrupted, and an interrupt closes a channel.
    Files.deleteIfExists(temp);
    Files.createFile(temp);
    try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
      out.write(toJson());
      out.getFD().sync();
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    PartialFiles.syncFolder(file.getParent());
  }
}
