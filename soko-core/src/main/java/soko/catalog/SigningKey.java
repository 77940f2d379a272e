package soko.catalog;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * A publisher's Ed25519 key pair, used to sign catalogs. {@link #toString} never shows the private key.
 * Immutable and thread-safe.
 *
 * @param privateKey the Ed25519 private key; keep it offline where possible
 * @param publicKey its public key, which clients trust
 */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey) {
  /**
   * Checks that both keys are Ed25519.
   *
   * @throws IllegalArgumentException if either key is of another algorithm
   */
  public SigningKey {
    TrustedKey.of(publicKey, ""); // checks that it is Ed25519
    if (!privateKey.getAlgorithm().equals("EdDSA") && !privateKey.getAlgorithm().equals("Ed25519")) {
      throw new IllegalArgumentException("a signing key is an Ed25519 private key, got " + privateKey.getAlgorithm());
    }
  }

  /**
   * The id clients see in signatures and in their trusted-keys file.
   *
   * @return the public key's key id
   */
  public String keyId() {
    return TrustedKey.keyIdOf(publicKey);
  }

  @Override
  public String toString() {
    return "SigningKey[" + keyId() + "]";
  }
}
