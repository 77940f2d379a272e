package soko.testkit.corpus;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signed catalog envelopes around any bytes, hostile ones included (Soko's own signing tool checks
 * the document first, so it cannot sign what a hostile publisher would): {@code {"signed": base64,
 * "signatures": [{"keyId", "algorithm": "ed25519", "signature"}]}}.
 */
public final class Envelopes {
  private Envelopes() {}

  /** An envelope of {@code document} signed with {@code key}, whose key id is {@code keyId}. */
  public static byte[] sign(byte[] document, PrivateKey key, String keyId) {
    return envelope(document, signature(document, key), keyId);
  }

  /**
   * An envelope whose signature is over {@code document} but whose signed bytes differ from it in one
   * byte (the first line break is a space): what a change after signing looks like.
   */
  public static byte[] tampered(byte[] document, PrivateKey key, String keyId) {
    byte[] changed = document.clone();
    for (int i = 0; i < changed.length; i++) {
      if (changed[i] == '\n') {
        changed[i] = ' ';
        break;
      }
    }
    if (java.util.Arrays.equals(changed, document)) {
      throw new IllegalArgumentException("the document has no line break to change");
    }
    return envelope(changed, signature(document, key), keyId);
  }

  private static byte[] signature(byte[] data, PrivateKey key) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  private static byte[] envelope(byte[] signed, byte[] signature, String keyId) {
    Base64.Encoder b64 = Base64.getEncoder();
    return ("{\"signed\": \"" + b64.encodeToString(signed) + "\", \"signatures\": [{\"keyId\": \"" + keyId
        + "\", \"algorithm\": \"ed25519\", \"signature\": \"" + b64.encodeToString(signature) + "\"}]}\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
