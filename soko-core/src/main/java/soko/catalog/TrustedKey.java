package soko.catalog;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;
import soko.verification.Hashing;

/**
 * A public key trusted to sign catalogs: an Ed25519 key, its id and a note for people.
 *
 * <p>The key id is derived from the key, never chosen: the first 16 hex digits of the SHA-256 of the
 * key's X.509 SubjectPublicKeyInfo (SPKI) encoding. So a signature names the key that made it, and
 * several keys can be trusted at once while a publisher rotates keys.
 *
 * <p>Immutable and thread-safe.
 *
 * @param keyId {@link #keyIdOf} of {@code publicKey}
 * @param publicKey an Ed25519 public key
 * @param comment who the key belongs to, for people; at most 256 characters, may be empty
 */
public record TrustedKey(String keyId, PublicKey publicKey, String comment) {
  /** The only signature algorithm, as named in envelopes and key files. */
  public static final String ALGORITHM = "ed25519";
  static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
  /** The size of an Ed25519 SPKI encoding: a 12-byte header and the 32-byte key. */
  private static final int SPKI_LENGTH = 44;

  /**
   * Checks the key, its id and the comment.
   *
   * @throws IllegalArgumentException if the key is not Ed25519, {@code keyId} is not its id, or the
   *     comment is longer than 256 characters or has a control character
   */
  public TrustedKey {
    if (!(publicKey instanceof EdECPublicKey ed) || !ed.getParams().getName().equalsIgnoreCase("Ed25519")) {
      throw new IllegalArgumentException("a trusted key is an Ed25519 public key, got " + publicKey.getAlgorithm());
    }
    String derived = keyIdOf(publicKey);
    if (!derived.equals(keyId)) {
      throw new IllegalArgumentException("key id \"" + keyId + "\" does not belong to this key, whose id is " + derived);
    }
    if (comment.length() > 256 || comment.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException("a key comment is one line of at most 256 characters");
    }
  }

  /**
   * Trusts {@code publicKey}, deriving its id.
   *
   * @param publicKey an Ed25519 public key
   * @param comment who the key belongs to; one line of at most 256 characters, may be empty
   * @return the trusted key
   * @throws IllegalArgumentException if the key is not Ed25519 or the comment is invalid
   */
  public static TrustedKey of(PublicKey publicKey, String comment) {
    return new TrustedKey(keyIdOf(publicKey), publicKey, comment);
  }

  /**
   * The id of a public key.
   *
   * @param publicKey the key
   * @return the first 16 lower-case hex digits of the SHA-256 of its SPKI encoding
   */
  public static String keyIdOf(PublicKey publicKey) {
    return HexFormat.of().formatHex(Hashing.newSha256().digest(publicKey.getEncoded())).substring(0, 16);
  }

  /**
   * Reads a public key exported with {@link #spkiBase64}: standard base64 (with padding, no line
   * breaks) of the X.509 SPKI encoding, as {@code openssl pkey -pubout -outform DER | base64} prints.
   *
   * @param base64 the encoded key (44 bytes once decoded)
   * @return the Ed25519 public key
   * @throws IllegalArgumentException if the text is not base64, not 44 bytes, or not an Ed25519 key
   */
  public static PublicKey publicKeyFromSpkiBase64(String base64) {
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a public key is standard base64 of its SPKI encoding: " + e.getMessage(), e);
    }
    if (der.length != SPKI_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 public key is " + SPKI_LENGTH + " bytes in SPKI encoding, got " + der.length);
    }
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /**
   * The key in the form trusted-keys files carry.
   *
   * @return standard base64 (padded, one line) of the key's X.509 SPKI encoding
   */
  public String spkiBase64() {
    return spkiBase64(publicKey);
  }

  static String spkiBase64(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /** True when {@code signature} is this key's Ed25519 signature of exactly {@code data}. */
  boolean verifies(byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(publicKey);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (SignatureException e) {
      return false; // a malformed signature (such as the wrong length) is simply not a valid one
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("an Ed25519 key was refused by the JDK's Ed25519", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519 signatures", e);
    }
  }

  @Override
  public String toString() {
    return keyId + (comment.isEmpty() ? "" : " (" + comment + ")");
  }
}
