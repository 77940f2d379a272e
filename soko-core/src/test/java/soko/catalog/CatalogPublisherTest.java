package soko.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static soko.catalog.Fixtures.simpleCatalog;
import static soko.catalog.Fixtures.utf8;

import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.verification.Hashing;

class CatalogPublisherTest {
  @TempDir Path dir;

  private static final Clock NOW = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void keyIdIsTheFirst16HexDigitsOfTheSha256OfTheSpkiKey() {
    SigningKey key = CatalogPublisher.generateKey();
    String expected = HexFormat.of().formatHex(Hashing.newSha256().digest(key.publicKey().getEncoded())).substring(0, 16);

    assertThat(key.keyId()).isEqualTo(expected);
    assertThat(CatalogPublisher.keyId(key.publicKey())).isEqualTo(expected);
    assertThat(key.toString()).isEqualTo("SigningKey[" + expected + "]");
  }

  @Test
  void writtenKeyIsOwnerOnlyAndReadsBackAsTheSameKey() throws Exception {
    Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"),
        "file modes are checked on POSIX file systems only; this one is not");
    SigningKey key = CatalogPublisher.generateKey();
    Path priv = dir.resolve("keys/publisher.key");
    Path pub = dir.resolve("keys/publisher.trusted-keys.json");

    CatalogPublisher.writeKey(key, priv, pub, "Example Models 2026");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
    assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    SigningKey read = CatalogPublisher.readKey(priv);
    assertThat(read.publicKey()).isEqualTo(key.publicKey());
    assertThat(read.privateKey().getEncoded()).isEqualTo(key.privateKey().getEncoded());
    TrustedKeys shipped = TrustedKeys.parse(Files.readAllBytes(pub), pub.toString());
    assertThat(shipped.keys()).containsExactly(TrustedKey.of(key.publicKey(), "Example Models 2026"));
    try (var files = Files.list(priv.getParent())) {
      assertThat(files.toList()).containsExactlyInAnyOrder(priv, pub);
    }
  }

  @Test
  void neverOverwritesAnExistingKey() throws Exception {
    Path priv = dir.resolve("publisher.key");
    Path pub = dir.resolve("publisher.trusted-keys.json");
    CatalogPublisher.writeKey(CatalogPublisher.generateKey(), priv, pub, "");
    byte[] before = Files.readAllBytes(priv);

    assertThatThrownBy(() -> CatalogPublisher.writeKey(CatalogPublisher.generateKey(), priv, dir.resolve("other.json"), ""))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readAllBytes(priv)).isEqualTo(before);
    assertThat(dir.resolve("other.json")).doesNotExist();
  }

  @Test
  void aSignedCatalogIsAcceptedByAClientTrustingThePublishedKeyFile() throws Exception {
    Path priv = dir.resolve("publisher.key");
    Path pub = dir.resolve("publisher.trusted-keys.json");
    CatalogPublisher.writeKey(CatalogPublisher.generateKey(), priv, pub, "Example");

    byte[] envelope = CatalogPublisher.sign(simpleCatalog("example.models", 2, "2026-09-01T00:00:00Z"),
        List.of(CatalogPublisher.readKey(priv)), "catalog.json");
    CatalogTrust client = new CatalogTrust(TrustedKeys.parse(Files.readAllBytes(pub), "trusted"), NOW, dir.resolve("state"));

    Catalog accepted = client.accept(CatalogSource.of("example.models", URI.create("https://example.org/c.json")),
        Catalogs.merge(List.of(BuiltinCatalog.load())), envelope);
    assertThat(accepted.version()).isEqualTo(2);
  }

  @Test
  void theEnvelopeCarriesTheExactDocumentBytes() throws Exception {
    SigningKey key = CatalogPublisher.generateKey();
    byte[] document = simpleCatalog("example.models", 2, "2026-09-01T00:00:00Z");

    var envelope = soko.internal.json.Json.parse(CatalogPublisher.sign(document, List.of(key), "c.json"), Long.MAX_VALUE,
        "envelope").raw();

    assertThat(Base64.getDecoder().decode(envelope.get("signed").asText())).isEqualTo(document);
    assertThat(envelope.get("signatures").get(0).get("keyId").asText()).isEqualTo(key.keyId());
    assertThat(envelope.get("signatures").get(0).get("algorithm").asText()).isEqualTo("ed25519");
  }

  @Test
  void refusesToSignAnInvalidCatalog() {
    assertThatThrownBy(() -> CatalogPublisher.sign(utf8("{\"schemaVersion\":1}"), List.of(CatalogPublisher.generateKey()), "c.json"))
        .isInstanceOf(CatalogUnusableException.class)
        .hasMessage("c.json: invalid catalog at /id: is missing; it is required");
  }

  @Test
  void refusesAPrivateKeyFileThatIsNotPem() throws Exception {
    Path priv = dir.resolve("k.key");
    Files.writeString(priv, "hello");

    assertThatThrownBy(() -> CatalogPublisher.readKey(priv))
        .isInstanceOf(CatalogUnusableException.class)
        .hasMessage(priv + ": is not a PEM private key (-----BEGIN PRIVATE KEY-----)");
  }

  @Test
  void publicKeysExportAndImportAsBase64Spki() {
    SigningKey key = CatalogPublisher.generateKey();
    TrustedKey trusted = TrustedKey.of(key.publicKey(), "");

    assertThat(TrustedKey.publicKeyFromSpkiBase64(trusted.spkiBase64())).isEqualTo(key.publicKey());
    assertThat(Base64.getDecoder().decode(trusted.spkiBase64())).isEqualTo(key.publicKey().getEncoded());
  }

  @Test
  void trustedKeysFileRoundTripsSeveralKeys() throws Exception {
    TrustedKeys keys = TrustedKeys.of(TrustedKey.of(CatalogPublisher.generateKey().publicKey(), "old"),
        TrustedKey.of(CatalogPublisher.generateKey().publicKey(), "new"));

    assertThat(TrustedKeys.parse(keys.write(), "keys.json")).isEqualTo(keys);
  }

  @Test
  void trustedKeysFileRefusesAKeyIdThatDoesNotMatchItsKey() {
    SigningKey key = CatalogPublisher.generateKey();
    String json = "{\"schemaVersion\":1,\"keys\":[{\"keyId\":\"0000000000000000\",\"algorithm\":\"ed25519\",\"publicKey\":\""
        + TrustedKey.of(key.publicKey(), "").spkiBase64() + "\"}]}";

    assertThatThrownBy(() -> TrustedKeys.parse(utf8(json), "keys.json"))
        .isInstanceOf(CatalogUnusableException.class)
        .hasMessage("keys.json: invalid trusted-keys file at /keys/0/keyId: \"0000000000000000\" is not the id of this public key,"
            + " which is " + key.keyId() + "; the key id or the key was copied wrongly");
  }

  @Test
  void trustedKeysFileRefusesANonEd25519Key() throws Exception {
    var rsa = java.security.KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    String spki = Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded());
    String json = "{\"schemaVersion\":1,\"keys\":[{\"keyId\":\"0000000000000000\",\"algorithm\":\"ed25519\",\"publicKey\":\""
        + spki + "\"}]}";

    assertThatThrownBy(() -> TrustedKeys.parse(utf8(json), "keys.json"))
        .isInstanceOf(CatalogUnusableException.class)
        .hasMessageStartingWith("keys.json: invalid trusted-keys file at /keys/0/publicKey: \"")
        .hasMessageEndingWith("\" is not valid: an Ed25519 public key is 44 bytes in SPKI encoding, got 162;"
            + " expected base64 of an Ed25519 SPKI public key");
  }

  @Test
  void readsKeysMadeByOpenssl() throws Exception {
    Path priv = dir.resolve("openssl.key");
    Assumptions.assumeTrue(run("openssl", "genpkey", "-algorithm", "ed25519", "-out", priv.toString()) == 0,
        "openssl is not installed, so keys made by openssl cannot be checked");
    Path pubDer = dir.resolve("openssl.pub.der");
    assertThat(run("openssl", "pkey", "-in", priv.toString(), "-pubout", "-outform", "DER", "-out", pubDer.toString())).isZero();

    SigningKey key = CatalogPublisher.readKey(priv);

    assertThat(key.publicKey().getEncoded()).isEqualTo(Files.readAllBytes(pubDer));
  }

  private static int run(String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (java.io.IOException notInstalled) {
      return -1;
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
