package soko.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.verification.Digest;

/**
 * The result of the last full hash of a blob, with the file's stamp at that time. While the stamp
 * is unchanged, the blob is trusted without re-hashing; any change forces a full re-hash.
 *
 * <pre>
 * {"sha256":"1a15…","size":2327524,"mtimeNanos":…,"ctimeNanos":…,"fileKey":"2049:131077",
 *  "verifiedAt":"2026-11-29T00:50:00Z","ok":true}
 * </pre>
 * A failed check has {@code "ok":false} and a {@code "problem"} line.
 * <pre>
 * </pre>
 */
record VerificationRecord(Digest sha256, FileStamp stamp, Instant verifiedAt, boolean ok, String problem,
    Optional<Chunks> chunks) {
  /** The largest record: a 1 TiB file's chunk list at 16 MiB a chunk is about 4.2 MB. */
  static final int MAX_BYTES = 8 * 1024 * 1024;

  VerificationRecord(Digest sha256, FileStamp stamp, Instant verifiedAt, boolean ok, String problem) {
    this(sha256, stamp, verifiedAt, ok, problem, Optional.empty());
  }

  static VerificationRecord good(Digest sha256, FileStamp stamp, Instant at) {
    return new VerificationRecord(sha256, stamp, at, true, "");
  }


  boolean matches(FileStamp now) {
    return now.regularFile() && stamp.sameAs(now);
  }

  byte[] toJson() {
    ObjectNode o = Json.object();
    o.put("sha256", sha256.hex());
    o.put("size", stamp.size());
    o.put("mtimeNanos", stamp.mtimeNanos());
    if (stamp.ctimeNanos().isPresent()) {
      o.put("ctimeNanos", stamp.ctimeNanos().getAsLong());
    }
    o.put("fileKey", stamp.fileKey());
    o.put("verifiedAt", soko.internal.json.Instants.format(verifiedAt));
    o.put("ok", ok);
    if (!problem.isEmpty()) {
      o.put("problem", problem);
    }
    if (chunks.isPresent()) {
      o.put("chunkSize", chunks.get().chunkSize());
      o.put("chunks", chunks.get().hex());
    }
    return Json.writeLine(o).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static final java.util.Set<String> FIELDS =
      java.util.Set.of("sha256", "size", "mtimeNanos", "ctimeNanos", "fileKey", "verifiedAt", "ok", "problem",
          "chunkSize", "chunks");

  static VerificationRecord parse(byte[] bytes) throws JsonProblem {
    Node n = Json.parse(bytes, MAX_BYTES, "verification record");
    n.object(FIELDS);
    Digest d = n.get("sha256").parse(Digest::ofHex, "64 hex digits");
    long size = n.get("size").integer(0, Long.MAX_VALUE);
    long mtime = n.get("mtimeNanos").integer(Long.MIN_VALUE, Long.MAX_VALUE);
    OptionalLong ctime = n.has("ctimeNanos")
        ? OptionalLong.of(n.get("ctimeNanos").integer(Long.MIN_VALUE, Long.MAX_VALUE)) : OptionalLong.empty();
    String key = n.get("fileKey").text();
    Instant at = n.get("verifiedAt").instant();
    boolean ok = n.get("ok").bool();
    String problem = n.has("problem") ? n.get("problem").text() : "";
    Optional<Chunks> chunks = Optional.empty();
    if (n.has("chunks")) {
      long chunkSize = n.get("chunkSize").integer(1, Long.MAX_VALUE);
      chunks = Optional.of(n.get("chunks").parse(h -> Chunks.parseHex(chunkSize, h), "sha256 digests in hex"));
    }
    return new VerificationRecord(d, new FileStamp(size, mtime, ctime, key, true), at, ok, problem, chunks);
  }
}
