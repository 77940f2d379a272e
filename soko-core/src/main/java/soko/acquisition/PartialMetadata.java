package soko.acquisition;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.ModelFile;
import soko.verification.Digest;

/**
 * What is known about a partial download, stored beside it as {@code <sha256>.json}. A download
 * received as one stream from the start (every download today) is written as schema version 1:
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
 * <p>{@code url} is the source requested (before redirects): an http(s) URL or an {@code oci://}
 * blob; {@code etag} (strong only) and {@code lastModified} are the validators the server sent for
 * it, either may be absent (a registry blob needs none: its digest is its validator); {@code
 * bytes} is how many bytes of {@code <sha256>.partial} were on disk (fsynced) when this was
 * written. Bytes past it are not trusted after a power loss.
 *
 * <p>A download received as several ranges at once is written as schema version 2, with {@code
 * "spans": [{"from": 0, "to": 134217727, "done": 67108864}, …]} in place of {@code bytes}: each
 * span is a range of the file (inclusive bounds) and {@code done} is how many bytes from its start
 * are fsynced; {@code "written"}, when present, is how many were written (a killed process leaves
 * them in the page cache; only a power loss can lose them, and the final sha256 catches that).
 * Spans are sorted, disjoint and cover the file. Version 1 reads as one span.
 */
record PartialMetadata(Digest sha256, long size, URI url, Optional<String> etag, Optional<String> lastModified,
    List<Span> spans) {
  static final int SCHEMA_VERSION = 1;
  static final int SPANS_VERSION = 2;
  private static final long MAX_BYTES = 64 * 1024;
  private static final int MAX_SPANS = 256;
  private static final Set<String> FIELDS_V1 = Set.of("schemaVersion", "sha256", "size", "url", "etag", "lastModified",
      "bytes");
  private static final Set<String> FIELDS_V2 = Set.of("schemaVersion", "sha256", "size", "url", "etag", "lastModified",
      "spans");

  /**
   * One range of the file, {@code from..to} inclusive, of which the first {@code done} bytes are
   * fsynced and the first {@code written} bytes (at least {@code done}) were written: a killed
   * process leaves them in the page cache, a power loss may not.
   */
  record Span(long from, long to, long done, long written) {
    Span {
      if (from < 0 || to < from - 1 || done < 0 || written < done || written > to - from + 1) {
        throw new IllegalArgumentException("span " + from + "-" + to + " with " + done + " done and " + written
            + " written is not a range");
      }
    }

    /** A span whose written bytes are all fsynced. */
    Span(long from, long to, long done) {
      this(from, to, done, done);
    }

    long length() {
      return to - from + 1;
    }

    /** The first byte of the span not written yet. */
    long next() {
      return from + written;
    }

    boolean complete() {
      return written == length();
    }
  }

  PartialMetadata {
    spans = List.copyOf(spans);
    if (spans.isEmpty() || spans.getFirst().from() != 0 || spans.getLast().to() != size - 1) {
      throw new IllegalArgumentException("the spans do not cover 0-" + (size - 1));
    }
    for (int i = 1; i < spans.size(); i++) {
      if (spans.get(i).from() != spans.get(i - 1).to() + 1) {
        throw new IllegalArgumentException("span " + i + " does not follow span " + (i - 1));
      }
    }
  }

  /** A download received as one stream from the start, with {@code bytes} of it kept. */
  PartialMetadata(Digest sha256, long size, URI url, Optional<String> etag, Optional<String> lastModified, long bytes) {
    this(sha256, size, url, etag, lastModified, List.of(new Span(0, size - 1, bytes)));
  }

  /**
   * This record moved to {@code other}, with no validator (the new source's is adopted from its
   * first answer, see {@link RangedTransfer}) and each incomplete span cut back to its whole chunks
   * of {@code chunkSize} bytes: only a whole chunk was checked against its digest as it landed, so
   * the bytes of a chunk cut short (a source that failed mid-chunk) are not carried to another.
   */
  PartialMetadata rebased(URI other, long chunkSize) {
    List<Span> kept = new ArrayList<>(spans.size());
    for (Span s : spans) {
      long written = s.written();
      if (written < s.to() - s.from() + 1) {
        written = Math.max(0, (s.from() + written) / chunkSize * chunkSize - s.from());
      }
      kept.add(new Span(s.from(), s.to(), Math.min(s.done(), written), written));
    }
    return new PartialMetadata(sha256, size, other, Optional.empty(), Optional.empty(), kept);
  }

  /** Bytes kept from the start of the file: all of them for one span. */
  long bytes() {
    return spans.getFirst().done();
  }

  /** Bytes written in all spans. */
  long written() {
    return spans.stream().mapToLong(Span::written).sum();
  }

  /** This record with other spans. */
  PartialMetadata withSpans(List<Span> s) {
    return new PartialMetadata(sha256, size, url, etag, lastModified, s);
  }

  /** The value for {@code If-Range}: the strong ETag if there is one, else Last-Modified. */
  Optional<String> validator() {
    return etag.or(() -> lastModified);
  }

  boolean describes(ModelFile file) {
    return sha256.equals(file.sha256()) && size == file.size();
  }

  /** This record with {@code n} bytes kept from the start (one span). */
  PartialMetadata withBytes(long n) {
    return new PartialMetadata(sha256, size, url, etag, lastModified, n);
  }

  byte[] toJson() {
    ObjectNode o = Json.object();
    boolean one = spans.size() == 1;
    o.put("schemaVersion", one ? SCHEMA_VERSION : SPANS_VERSION);
    o.put("sha256", sha256.hex());
    o.put("size", size);
    o.put("url", url.toString());
    etag.ifPresent(v -> o.put("etag", v));
    lastModified.ifPresent(v -> o.put("lastModified", v));
    if (one) {
      o.put("bytes", bytes());
    } else {
      ArrayNode a = o.putArray("spans");
      for (Span s : spans) {
        ObjectNode n = a.addObject();
        n.put("from", s.from());
        n.put("to", s.to());
        n.put("done", s.done());
        if (s.written() != s.done()) {
          n.put("written", s.written());
        }
      }
    }
    return Json.write(o);
  }

  static PartialMetadata parse(byte[] json) throws JsonProblem {
    Node top = Json.parse(json, MAX_BYTES, "partial download record");
    long version = top.object(Set.of("schemaVersion", "sha256", "size", "url", "etag", "lastModified", "bytes", "spans"))
        .get("schemaVersion").integer(1, Integer.MAX_VALUE);
    if (version != SCHEMA_VERSION && version != SPANS_VERSION) {
      throw top.get("schemaVersion").problem("version " + version + " is not supported; expected " + SCHEMA_VERSION
          + " or " + SPANS_VERSION);
    }
    Node root = top.object(version == SCHEMA_VERSION ? FIELDS_V1 : FIELDS_V2);
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
    if (version == SCHEMA_VERSION) {
      return new PartialMetadata(sha, size, url, etag, lm, root.get("bytes").integer(0, size));
    }
    Node array = root.get("spans");
    List<Span> spans = new ArrayList<>();
    for (Node item : array.array(MAX_SPANS)) {
      Node s = item.object(Set.of("from", "to", "done", "written"));
      long from = s.get("from").integer(0, Math.max(0, size - 1));
      long to = s.get("to").integer(from - 1, size - 1);
      long done = s.get("done").integer(0, to - from + 1);
      long written = s.opt("written").isPresent() ? s.get("written").integer(done, to - from + 1) : done;
      spans.add(new Span(from, to, done, written));
    }
    try {
      return new PartialMetadata(sha, size, url, etag, lm, spans);
    } catch (IllegalArgumentException e) {
      throw array.problem(e.getMessage());
    }
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

  /**
   * Writes atomically but without fsync: the frequent record of bytes written, which a killed
   * process needs and a power loss may lose (then the partial is not trusted, or its tails are
   * fetched again when the sha256 disagrees).
   */
  void writeUnsynced(Path file, Path temp) throws IOException {
    Files.deleteIfExists(temp);
    Files.createFile(temp);
    try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
      out.write(toJson());
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
