package soko.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;

/**
 * A signed catalog as served: the exact catalog document bytes, base64-encoded, and signatures over
 * exactly those bytes. Signing the whole document as one blob means no part of it (such as one
 * models entry) can be swapped for a part of another signed catalog.
 *
 * <pre>{@code
 * {
 *   "signed": "eyJzY2hlbWFWZXJzaW9uIjogMSwg...",
 *   "signatures": [
 *     {"keyId": "5e1bb3a0c2f94d17", "algorithm": "ed25519", "signature": "q0v3...=="}
 *   ]
 * }
 * }</pre>
 */
record SignedEnvelope(byte[] signed, List<SignedEnvelope.Sig> signatures) {
  /** Larger envelopes are refused before parsing: base64 of a {@link CatalogCodec#MAX_BYTES} document, and signatures. */
  static final int MAX_BYTES = CatalogCodec.MAX_BYTES / 3 * 4 + 64 * 1024;
  static final int MAX_SIGNATURES = 16;
  private static final Set<String> TOP = Set.of("signed", "signatures");
  private static final Set<String> SIG = Set.of("keyId", "algorithm", "signature");

  SignedEnvelope {
    signatures = List.copyOf(signatures);
  }

  /** One signature: the signing key's id and the Ed25519 signature bytes. */
  record Sig(String keyId, byte[] signature) {}

  /** What the served bytes turned out to be. */
  sealed interface Parsed permits Unsigned, Envelope {}

  /** A bare catalog document, or an envelope with no signatures. */
  record Unsigned() implements Parsed {}

  record Envelope(SignedEnvelope envelope) implements Parsed {}

  static Parsed parse(byte[] bytes) throws JsonProblem {
    Node root = Json.parse(bytes, MAX_BYTES, "signed catalog envelope");
    if (root.raw().isObject() && !root.has("signed") && (root.has("schemaVersion") || root.has("models"))) {
      return new Unsigned();
    }
    root.object(TOP);
    byte[] signed = base64(root.get("signed"));
    if (signed.length > CatalogCodec.MAX_BYTES) {
      throw root.get("signed").problem("holds " + signed.length + " bytes; a catalog is at most " + CatalogCodec.MAX_BYTES);
    }
    List<Sig> sigs = root.get("signatures").list(MAX_SIGNATURES, SignedEnvelope::readSig);
    if (sigs.isEmpty()) {
      return new Unsigned();
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < sigs.size(); i++) {
      Integer prev = seen.putIfAbsent(sigs.get(i).keyId(), i);
      if (prev != null) {
        throw new JsonProblem("/signatures/" + i + "/keyId", "key " + sigs.get(i).keyId()
            + " signs twice (also at /signatures/" + prev + ")");
      }
    }
    return new Envelope(new SignedEnvelope(signed, sigs));
  }

  private static Sig readSig(Node n) throws JsonProblem {
    n.object(SIG);
    Node algorithm = n.get("algorithm");
    if (!algorithm.text().equals(TrustedKey.ALGORITHM)) {
      throw algorithm.problem("unsupported algorithm \"" + algorithm.text() + "\"; Soko verifies "
          + TrustedKey.ALGORITHM + " signatures only");
    }
    Node keyId = n.get("keyId");
    if (!TrustedKey.KEY_ID.matcher(keyId.text()).matches()) {
      throw keyId.problem("a key id is 16 lower-case hex digits");
    }
    return new Sig(keyId.text(), base64(n.get("signature")));
  }

  private static byte[] base64(Node n) throws JsonProblem {
    String s = n.text();
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new JsonProblem(n.pointer(), "is not standard base64 (" + e.getMessage() + ")", e);
    }
  }

  /** The envelope's JSON, canonical. */
  byte[] write() {
    ObjectNode root = Json.object();
    root.put("signed", Base64.getEncoder().encodeToString(signed));
    ArrayNode list = root.putArray("signatures");
    for (Sig s : signatures) {
      ObjectNode o = list.addObject();
      o.put("keyId", s.keyId());
      o.put("algorithm", TrustedKey.ALGORITHM);
      o.put("signature", Base64.getEncoder().encodeToString(s.signature()));
    }
    return Json.write(root);
  }
}
