package soko.catalog;

import soko.internal.io.AtomicFiles;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * The last accepted catalog of each source, one small JSON file per source in a state folder that is
 * not a cache (clearing caches must not reset rollback protection):
 *
 * <pre>{@code
 * <state>/example.models-0f3c9a7be1d24a56.json
 * {
 *   "schemaVersion": 1,
 *   "source": "example.models https://models.example.org/catalog.json",
 *   "catalogId": "example.models",
 *   "version": 7,
 *   "sha256": "<sha256 of the signed catalog document bytes>",
 *   "acceptedAt": "2026-05-01T10:00:00Z"
 * }
 * }</pre>
 *
 * <p>The file name is the expected catalog id and the first 16 hex digits of the SHA-256 of the
 * source id. Files are replaced atomically. Not thread-safe: {@link CatalogTrust} serialises use.
 */
final class RollbackState {
  static final int SCHEMA_VERSION = 1;
  private static final int MAX_BYTES = 64 * 1024;
  private static final Set<String> FIELDS = Set.of("schemaVersion", "source", "catalogId", "version", "sha256", "acceptedAt");

  private final Path directory;

  RollbackState(Path directory) {
    this.directory = directory;
  }

  /** What was accepted last from a source. */
  record Accepted(String catalogId, long version, Digest sha256, Instant acceptedAt) {}

  Path file(CatalogSource source) {
    String hash = HexFormat.of().formatHex(Hashing.newSha256().digest(source.id().getBytes(StandardCharsets.UTF_8)));
    return directory.resolve(source.expectedCatalogId() + "-" + hash.substring(0, 16) + ".json");
  }

  Optional<Accepted> read(CatalogSource source) throws CatalogUnusableException {
    Path file = file(source);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw CatalogUnusableException.state(file, "could not be read (" + e.getMessage() + "); check the folder's permissions", e);
    }
    try {
      Node root = Json.parse(bytes, MAX_BYTES, "rollback state").object(FIELDS);
      Node schema = root.get("schemaVersion");
      if (schema.integer(0, Integer.MAX_VALUE) != SCHEMA_VERSION) {
        throw schema.problem("schema version is not " + SCHEMA_VERSION);
      }
      Node src = root.get("source");
      if (!src.text().equals(source.id())) {
        throw src.problem("belongs to source \"" + src.text() + "\", not \"" + source.id() + "\"");
      }
      String catalogId = root.get("catalogId").text();
      long version = root.get("version").integer(1, Long.MAX_VALUE);
      Digest sha = root.get("sha256").parse(Digest::ofHex, "64 lower-case hex digits");
      Instant at = root.get("acceptedAt").parse(RollbackState::instant, "an RFC 3339 UTC timestamp");
      return Optional.of(new Accepted(catalogId, version, sha, at));
    } catch (JsonProblem p) {
      throw CatalogUnusableException.state(file, "is damaged at " + (p.pointer().isEmpty() ? "/" : p.pointer()) + " ("
          + p.problem() + "); delete it to accept this source's catalogs again, which resets its rollback protection", p);
    }
  }

  private static Instant instant(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  void write(CatalogSource source, Accepted accepted) throws CatalogUnusableException {
    ObjectNode root = Json.object();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("source", source.id());
    root.put("catalogId", accepted.catalogId());
    root.put("version", accepted.version());
    root.put("sha256", accepted.sha256().hex());
    root.put("acceptedAt", accepted.acceptedAt().toString());
    Path file = file(source);
    try {
      AtomicFiles.replace(file, Json.write(root));
    } catch (IOException e) {
      throw CatalogUnusableException.state(file, "could not be written (" + e.getMessage()
          + "); check that the folder exists and is writable", e);
    }
  }
}
