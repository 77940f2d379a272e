package soko.catalog;

import soko.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tools for catalog publishers: make a signing key, sign a catalog document into an envelope, show
 * key ids. The CLI calls these; they do no network I/O.
 *
 * <p>Files written:
 *
 * <ul>
 *   <li>private key: PEM ({@code -----BEGIN PRIVATE KEY-----}) of the PKCS#8 encoding, mode 0600 on
 *       POSIX file systems; the same format {@code openssl genpkey -algorithm ed25519} writes;
 *   <li>public key: a trusted-keys file ({@link TrustedKeys}) holding just this key, ready to ship
 *       to clients.
 * </ul>
 *
 * <p>Thread-safe: no state.
 */
public final class CatalogPublisher {
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END PRIVATE KEY-----\\s*");
  private static final int MAX_KEY_FILE_BYTES = 16 * 1024;
  private static final int ED25519_SEED_BYTES = 32;

  private CatalogPublisher() {}

  /**
   * Makes a key.
   *
   * @return a fresh Ed25519 key pair from the JDK's strong random source
   */
  public static SigningKey generateKey() {
    KeyPair pair = ed25519().generateKeyPair();
    return new SigningKey(pair.getPrivate(), pair.getPublic());
  }

  /**
   * Writes a new key: the private key file (created with mode 0600, never overwriting) and the public
   * trusted-keys file (never overwriting). Each is written to a temp file, fsynced and renamed.
   *
   * @param key the key pair to write
   * @param privateKeyFile where the PEM private key goes
   * @param publicKeyFile where the trusted-keys file with the public key goes
   * @param comment one line naming the key's owner, stored in the public file; may be empty
   * @throws java.nio.file.FileAlreadyExistsException if either file exists; nothing is written then
   * @throws IOException if a file cannot be written (the private key may then exist without the
   *     public file)
   */
  public static void writeKey(SigningKey key, Path privateKeyFile, Path publicKeyFile, String comment) throws IOException {
    TrustedKey trusted = TrustedKey.of(key.publicKey(), comment);
    if (Files.exists(publicKeyFile)) {
      throw new FileAlreadyExistsException(publicKeyFile.toString(), null, "refusing to overwrite it");
    }
    AtomicFiles.create(privateKeyFile, privateKeyPem(key.privateKey()), true);
    AtomicFiles.create(publicKeyFile, TrustedKeys.of(trusted).write(), false);
  }

  /** The PEM text of a private key's PKCS#8 encoding. */
  static byte[] privateKeyPem(PrivateKey key) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
    return ("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Reads a private key file written by {@link #writeKey} (or by {@code openssl genpkey -algorithm
   * ed25519}).
   *
   * @param privateKeyFile the PEM file, at most 16 KiB
   * @return the key pair, its public key derived from the private key
   * @throws IOException if the file cannot be read
   * @throws CatalogUnusableException if the file is too large or does not hold an Ed25519 PKCS#8 private
   *     key
   */
  public static SigningKey readKey(Path privateKeyFile) throws IOException, CatalogUnusableException {
    if (Files.size(privateKeyFile) > MAX_KEY_FILE_BYTES) {
      throw CatalogUnusableException.key(privateKeyFile.toString(), "is too large to be a private key file", null);
    }
    return parseKey(Files.readAllBytes(privateKeyFile), privateKeyFile.toString());
  }

  /**
   * Parses the PEM text of an Ed25519 PKCS#8 private key and derives its public key.
   *
   * @param pem the PEM text ({@code -----BEGIN PRIVATE KEY-----}), US-ASCII
   * @param source names the key in messages, such as its path
   * @return the key pair
   * @throws CatalogUnusableException if the text is not PEM or does not hold an Ed25519 private key
   */
  public static SigningKey parseKey(byte[] pem, String source) throws CatalogUnusableException {
    Matcher m = PEM.matcher(new String(pem, StandardCharsets.US_ASCII));
    if (!m.matches()) {
      throw CatalogUnusableException.key(source, "is not a PEM private key (-----BEGIN PRIVATE KEY-----)", null);
    }
    PrivateKey priv;
    try {
      byte[] der = Base64.getMimeDecoder().decode(m.group(1));
      priv = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw CatalogUnusableException.key(source, "is not an Ed25519 private key: " + e.getMessage(), e);
    }
    return new SigningKey(priv, publicKeyOf(priv, source));
  }

  /**
   * The public key of an Ed25519 private key. The JDK has no API for this, but an Ed25519 key pair
   * is a function of its 32-byte seed, so generating a pair from that seed gives the public key; a
   * test signature proves it belongs.
   */
  private static PublicKey publicKeyOf(PrivateKey priv, String source) throws CatalogUnusableException {
    byte[] seed = ((EdECPrivateKey) priv).getBytes()
        .orElseThrow(() -> CatalogUnusableException.key(source, "holds a private key whose bytes cannot be read", null));
    if (seed.length != ED25519_SEED_BYTES) {
      throw CatalogUnusableException.key(source, "holds a private key of " + seed.length + " bytes; Ed25519 keys are 32", null);
    }
    SecureRandom fromSeed = new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
      }
    };
    KeyPairGenerator generator = ed25519();
    try {
      generator.initialize(NamedParameterSpec.ED25519, fromSeed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make Ed25519 keys", e);
    }
    PublicKey pub = generator.generateKeyPair().getPublic();
    byte[] probe = "soko catalog key check".getBytes(StandardCharsets.US_ASCII);
    if (!TrustedKey.of(pub, "").verifies(probe, signBytes(probe, priv))) {
      throw new IllegalStateException("could not derive the public key of an Ed25519 private key on this JDK");
    }
    return pub;
  }

  /**
   * Signs a catalog document: checks that it is a valid published catalog, then returns the signed
   * envelope's JSON with one signature per key over the document's exact bytes.
   *
   * @param catalogDocument the catalog document's exact bytes, which are signed as they are
   * @param keys the keys to sign with, at least one
   * @param source names the document in messages, such as its path
   * @return the signed envelope's UTF-8 JSON
   * @throws CatalogUnusableException if the document is not a valid published catalog
   * @throws IllegalArgumentException if {@code keys} is empty
   */
  public static byte[] sign(byte[] catalogDocument, List<SigningKey> keys, String source) throws CatalogUnusableException {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("sign with at least one key");
    }
    CatalogCodec.parse(catalogDocument, source);
    List<SignedEnvelope.Sig> sigs = new ArrayList<>();
    for (SigningKey k : keys) {
      sigs.add(new SignedEnvelope.Sig(k.keyId(), signBytes(catalogDocument, k.privateKey())));
    }
    return new SignedEnvelope(catalogDocument.clone(), sigs).write();
  }

  private static byte[] signBytes(byte[] data, PrivateKey key) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /**
   * The key id of a public key, as clients and envelopes show it.
   *
   * @param key an Ed25519 public key
   * @return its key id
   */
  public static String keyId(PublicKey key) {
    return TrustedKey.keyIdOf(key);
  }

  private static KeyPairGenerator ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }
}
