package soko.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;

/**
 * The keys trusted to sign remote catalogs. Any one valid signature by one of them is enough, so
 * trusting an old and a new key at once lets a publisher rotate keys without breaking clients.
 *
 * <p>The trusted-keys file, which admins ship to machines and which {@link CatalogPublisher} writes
 * for a new key:
 *
 * <pre>{@code
 * {
 *   "schemaVersion": 1,
 *   "keys": [
 *     {
 *       "keyId": "5e1bb3a0c2f94d17",
 *       "algorithm": "ed25519",
 *       "publicKey": "MCowBQYDK2VwAyEAbmqFq6q3... (base64 SPKI)",
 *       "comment": "Example Models catalog key 2026"
 *     }
 *   ]
 * }
 * }</pre>
 *
 * <p>{@code keyId} must be the id derived from {@code publicKey} (a copy-paste check); {@code comment}
 * is optional.
 *
 * @param keys distinct by key id, in the order given
 */
public record TrustedKeys(List<TrustedKey> keys) {
  public static final int SCHEMA_VERSION = 1;
  public static final int MAX_KEYS = 64;
  public static final int MAX_BYTES = 256 * 1024;
  private static final Set<String> TOP = Set.of("schemaVersion", "keys");
  private static final Set<String> KEY = Set.of("keyId", "algorithm", "publicKey", "comment");

  public TrustedKeys {
    keys = List.copyOf(keys);
    if (keys.size() > MAX_KEYS) {
      throw new IllegalArgumentException("at most " + MAX_KEYS + " trusted keys");
    }
    if (keys.stream().map(TrustedKey::keyId).distinct().count() != keys.size()) {
      throw new IllegalArgumentException("a key is trusted twice");
    }
  }

  /** Trusts no key: every remote catalog is refused. */
  public static TrustedKeys none() {
    return new TrustedKeys(List.of());
  }

  public static TrustedKeys of(TrustedKey... keys) {
    return new TrustedKeys(Arrays.asList(keys));
  }

  /** Trusts {@code keys}, with no comments. */
  public static TrustedKeys ofPublicKeys(PublicKey... keys) {
    return new TrustedKeys(Arrays.stream(keys).map(k -> TrustedKey.of(k, "")).toList());
  }

  public Optional<TrustedKey> find(String keyId) {
    return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
  }

  public List<String> keyIds() {
    return keys.stream().map(TrustedKey::keyId).toList();
  }

  /** These keys and {@code other}'s; a key in both is kept once, with this set's comment. */
  public TrustedKeys plus(TrustedKeys other) {
    Map<String, TrustedKey> all = new LinkedHashMap<>();
    keys.forEach(k -> all.put(k.keyId(), k));
    other.keys.forEach(k -> all.putIfAbsent(k.keyId(), k));
    return new TrustedKeys(new ArrayList<>(all.values()));
  }

  /**
   * Parses a trusted-keys file.
   *
   * @param source names the file in messages, such as its path
   */
  public static TrustedKeys parse(byte[] json, String source) throws CatalogKeyException {
    try {
      Node root = Json.parse(json, MAX_BYTES, "trusted-keys file").object(TOP);
      Node schema = root.get("schemaVersion");
      long v = schema.integer(0, Integer.MAX_VALUE);
      if (v != SCHEMA_VERSION) {
        throw schema.problem("schema version " + v + " is not supported; this Soko reads version " + SCHEMA_VERSION);
      }
      List<TrustedKey> keys = root.get("keys").list(MAX_KEYS, TrustedKeys::readKey);
      Map<String, Integer> seen = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        Integer prev = seen.putIfAbsent(keys.get(i).keyId(), i);
        if (prev != null) {
          throw new JsonProblem("/keys/" + i, "key " + keys.get(i).keyId() + " is listed twice (also at /keys/" + prev + ")");
        }
      }
      return new TrustedKeys(keys);
    } catch (JsonProblem p) {
      throw new CatalogKeyException(source, "invalid trusted-keys file at " + (p.pointer().isEmpty() ? "/" : p.pointer())
          + ": " + p.problem(), p);
    }
  }

  private static TrustedKey readKey(Node n) throws JsonProblem {
    n.object(KEY);
    Node algorithm = n.get("algorithm");
    if (!algorithm.text().equals(TrustedKey.ALGORITHM)) {
      throw algorithm.problem("unsupported algorithm \"" + algorithm.text()
          + "\"; Soko trusts " + TrustedKey.ALGORITHM + " keys only");
    }
    PublicKey key = n.get("publicKey").parse(TrustedKey::publicKeyFromSpkiBase64, "base64 of an Ed25519 SPKI public key");
    Node id = n.get("keyId");
    String keyId = id.text();
    String derived = TrustedKey.keyIdOf(key);
    if (!keyId.equals(derived)) {
      throw id.problem("\"" + keyId + "\" is not the id of this public key, which is " + derived
          + "; the key id or the key was copied wrongly");
    }
    String comment = n.opt("comment").isPresent() ? n.get("comment").text() : "";
    try {
      return new TrustedKey(keyId, key, comment);
    } catch (IllegalArgumentException e) {
      throw n.get("comment").problem(e.getMessage());
    }
  }

  /** Writes a trusted-keys file canonically. */
  public byte[] write() {
    ObjectNode root = Json.object();
    root.put("schemaVersion", SCHEMA_VERSION);
    ArrayNode list = root.putArray("keys");
    for (TrustedKey k : keys) {
      ObjectNode o = list.addObject();
      o.put("keyId", k.keyId());
      o.put("algorithm", TrustedKey.ALGORITHM);
      o.put("publicKey", k.spkiBase64());
      if (!k.comment().isEmpty()) {
        o.put("comment", k.comment());
      }
    }
    return Json.write(root);
  }
}
