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
 * <p>Immutable and thread-safe.
 *
 * @param keys distinct by key id, in the order given; at most {@link #MAX_KEYS} (copied)
 */
public record TrustedKeys(List<TrustedKey> keys) {
  /** The only schema version of the trusted-keys file this release reads and writes. */
  public static final int SCHEMA_VERSION = 1;
  /** The most keys one set may hold. */
  public static final int MAX_KEYS = 64;
  /** A trusted-keys file larger than this is refused before parsing. */
  public static final int MAX_BYTES = 256 * 1024;
  private static final Set<String> TOP = Set.of("schemaVersion", "keys");
  private static final Set<String> KEY = Set.of("keyId", "algorithm", "publicKey", "comment");

  /**
   * Copies the list and checks it.
   *
   * @throws IllegalArgumentException if there are more than {@link #MAX_KEYS} keys or a key id
   *     appears twice
   */
  public TrustedKeys {
    keys = List.copyOf(keys);
    if (keys.size() > MAX_KEYS) {
      throw new IllegalArgumentException("at most " + MAX_KEYS + " trusted keys");
    }
    if (keys.stream().map(TrustedKey::keyId).distinct().count() != keys.size()) {
      throw new IllegalArgumentException("a key is trusted twice");
    }
  }

  /**
   * Trusts no key: every remote catalog is refused.
   *
   * @return the empty set
   */
  public static TrustedKeys none() {
    return new TrustedKeys(List.of());
  }

  /**
   * Trusts the given keys.
   *
   * @param keys distinct keys
   * @return the set, in the order given
   * @throws IllegalArgumentException as the canonical constructor
   */
  public static TrustedKeys of(TrustedKey... keys) {
    return new TrustedKeys(Arrays.asList(keys));
  }

  /**
   * Trusts {@code keys}, with no comments.
   *
   * @param keys distinct Ed25519 public keys
   * @return the set, in the order given
   * @throws IllegalArgumentException if a key is not Ed25519, or as the canonical constructor
   */
  public static TrustedKeys ofPublicKeys(PublicKey... keys) {
    return new TrustedKeys(Arrays.stream(keys).map(k -> TrustedKey.of(k, "")).toList());
  }

  /**
   * Looks a key up by its id.
   *
   * @param keyId 16 lower-case hex digits
   * @return the key, or empty when it is not trusted
   */
  public Optional<TrustedKey> find(String keyId) {
    return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
  }

  /**
   * The trusted key ids, for messages.
   *
   * @return the ids in the set's order
   */
  public List<String> keyIds() {
    return keys.stream().map(TrustedKey::keyId).toList();
  }

  /**
   * Both sets together.
   *
   * @param other more keys
   * @return these keys and {@code other}'s, this set's first; a key in both is kept once, with this
   *     set's comment
   * @throws IllegalArgumentException if the union holds more than {@link #MAX_KEYS} keys
   */
  public TrustedKeys plus(TrustedKeys other) {
    Map<String, TrustedKey> all = new LinkedHashMap<>();
    keys.forEach(k -> all.put(k.keyId(), k));
    other.keys.forEach(k -> all.putIfAbsent(k.keyId(), k));
    return new TrustedKeys(new ArrayList<>(all.values()));
  }

  /**
   * Parses a trusted-keys file.
   *
   * @param json the file's UTF-8 JSON, at most {@link #MAX_BYTES} bytes
   * @param source names the file in messages, such as its path
   * @return the keys, in file order
   * @throws CatalogUnusableException if the file is not valid: not JSON, an unknown schema version or
   *     field, an algorithm other than ed25519, a bad key, a key id that does not match its key, or
   *     a key listed twice (the message names the JSON pointer)
   */
  public static TrustedKeys parse(byte[] json, String source) throws CatalogUnusableException {
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
      throw CatalogUnusableException.key(source, "invalid trusted-keys file at " + (p.pointer().isEmpty() ? "/" : p.pointer())
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

  /**
   * Writes a trusted-keys file canonically.
   *
   * @return its UTF-8 JSON, which {@link #parse} reads back
   */
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
