package soko.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import soko.catalog.CatalogUnusableException;
import soko.catalog.CatalogSource;
import soko.catalog.TrustedKeys;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;

/**
 * The remote catalogs a user or admin configured, kept in {@code <data>/state/catalog-sources.json}:
 *
 * <pre>
 * {"schemaVersion":1,"sources":[{"id":"example.models","url":"https://models.example.org/catalog.json",
 *   "keys":{"schemaVersion":1,"keys":[{"keyId":"…","algorithm":"ed25519","publicKey":"…"}]}}]}
 * </pre>
 *
 * The last accepted envelope of each source is kept beside it (so installs work offline) and is
 * re-verified, including expiry and rollback, every time it is loaded.
 */
final class CatalogSources {
  /** One configured source. */
  record Configured(String catalogId, URI url, TrustedKeys keys) {
    CatalogSource source() {
      return CatalogSource.of(catalogId, url);
    }
  }

  private final Path file;
  private final Path envelopes;

  CatalogSources(Path stateDir) {
    this.file = stateDir.resolve("catalog-sources.json");
    this.envelopes = stateDir.resolve("catalog-envelopes");
  }

  List<Configured> read() throws IOException, JsonProblem, CatalogUnusableException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    Node root = Json.parse(bytes, 4 * 1024 * 1024, "catalog sources file").object(Set.of("schemaVersion", "sources"));
    List<Configured> out = new ArrayList<>();
    for (Node n : root.get("sources").array(256)) {
      n.object(Set.of("id", "url", "keys"));
      String id = n.get("id").text();
      URI url = n.get("url").parse(URI::create, "a URL");
      byte[] keys = Json.write(n.get("keys").raw());
      out.add(new Configured(id, url, TrustedKeys.parse(keys, file + n.get("keys").pointer())));
    }
    return out;
  }

  void write(List<Configured> sources) throws IOException {
    ObjectNode root = Json.object();
    root.put("schemaVersion", 1);
    ArrayNode arr = root.putArray("sources");
    for (Configured c : sources) {
      ObjectNode o = arr.addObject();
      o.put("id", c.catalogId());
      o.put("url", c.url().toString());
      try {
        o.set("keys", Json.parse(c.keys().write(), TrustedKeys.MAX_BYTES, "trusted keys").raw());
      } catch (JsonProblem e) {
        throw new IllegalStateException("trusted keys did not round-trip", e);
      }
    }
    soko.internal.io.AtomicFiles.replace(file, Json.write(root));
  }

  Path envelope(Configured c) {
    return envelopes.resolve(soko.verification.Hashing.sha256(c.source().id().getBytes(StandardCharsets.UTF_8)).shortHex()
        + ".json");
  }
}
