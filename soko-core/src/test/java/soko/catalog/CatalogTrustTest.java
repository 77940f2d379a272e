package soko.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static soko.catalog.Fixtures.ASR_JA;
import static soko.catalog.Fixtures.catalog;
import static soko.catalog.Fixtures.manifest;
import static soko.catalog.Fixtures.simpleCatalog;
import static soko.catalog.Fixtures.text;
import static soko.catalog.Fixtures.utf8;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.internal.json.Json;

class CatalogTrustTest {
  private static final String EXPIRES = "2026-09-01T00:00:00Z";
  private static final Clock BEFORE_EXPIRY = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
  private static final CatalogSource SOURCE = CatalogSource.of("example.models", URI.create("https://models.example.org/catalog.json"));
  private static final String SRC = "example.models https://models.example.org/catalog.json";

  private static final SigningKey PUBLISHER = CatalogPublisher.generateKey();
  private static final SigningKey NEW_PUBLISHER_KEY = CatalogPublisher.generateKey();
  private static final SigningKey STRANGER = CatalogPublisher.generateKey();

  /** No other catalog in force: the catalog is checked on its own. */
  private static final Catalogs NONE = catalogsOf();

  @TempDir Path state;

  private static Catalogs catalogsOf(Catalog... catalogs) {
    try {
      return Catalogs.merge(List.of(catalogs));
    } catch (CatalogConflictException e) {
      throw new IllegalStateException(e);
    }
  }

  private CatalogTrust trust(Clock clock, SigningKey... trusted) {
    return new CatalogTrust(TrustedKeys.ofPublicKeys(java.util.Arrays.stream(trusted).map(SigningKey::publicKey)
        .toArray(java.security.PublicKey[]::new)), clock, state);
  }

  private static byte[] signed(byte[] document, SigningKey... keys) throws CatalogUnusableException {
    return CatalogPublisher.sign(document, List.of(keys), "test");
  }

  /** The envelope with its "signed" field replaced by {@code document}, keeping the signatures. */
  private static byte[] withSignedBytes(byte[] envelope, byte[] document) throws Exception {
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(envelope, Long.MAX_VALUE, "envelope").raw();
    tree.put("signed", Base64.getEncoder().encodeToString(document));
    return Json.write(tree);
  }

  @Test
  void acceptsACatalogSignedByATrustedKey() throws Exception {
    Catalog c = trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, signed(simpleCatalog("example.models", 3, EXPIRES), PUBLISHER));

    assertThat(c.id()).isEqualTo("example.models");
    assertThat(c.version()).isEqualTo(3);
    assertThat(c.models()).extracting(m -> m.name().value()).containsExactly("m-asr");
  }

  @Test
  void refusesATamperedCatalog() throws Exception {
    byte[] document = simpleCatalog("example.models", 3, EXPIRES);
    byte[] envelope = signed(document, PUBLISHER);
    byte[] tampered = document.clone();
    int at = text(document).indexOf("\"version\":3") + "\"version\":".length();
    tampered[at] = '9';

    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, withSignedBytes(envelope, tampered)))
        .isInstanceOf(CatalogUntrustedException.class)
        .hasMessage("catalog source \"" + SRC + "\" served a catalog whose signature by trusted key " + PUBLISHER.keyId()
            + " is invalid; the catalog was changed after signing or damaged in transit, so fetch it again or ask its"
            + " publisher to sign it again");
  }

  /** A catalog whose one model's file (48 MiB) lists three 16 MiB chunk digests. */
  private static byte[] chunkedCatalog(String thirdDigest) {
    String sha = "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe";
    String model = """
        {"schemaVersion":1,"name":"m-asr","version":"1.0.0","tasks":[%s],
         "engine":{"id":"onnxruntime","version":">=1.17"},
         "license":{"spdx":"MIT","url":"https://example.org/LICENSE","attribution":"Example"},
         "files":[{"path":"model.bin","size":50331648,"sha256":"%s","sources":["https://models.example.org/model.bin"],
                   "chunks":{"size":16777216,"sha256":["%s","%s","%s"]}}]}
        """.formatted(ASR_JA, sha, "1".repeat(64), "2".repeat(64), thirdDigest);
    return utf8(catalog("example.models", 3, EXPIRES, model,
        "\"ja-asr\":{\"task\":\"asr\",\"language\":\"ja\",\"candidates\":[\"m-asr\"]}"));
  }

  @Test
  void theChunkDigestsOfACatalogEntryAreSignedWithTheCatalog() throws Exception {
    byte[] document = chunkedCatalog("3".repeat(64));
    byte[] envelope = signed(document, PUBLISHER);

    Catalog c = trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, envelope);
    assertThat(c.models().getFirst().files().getFirst().chunks().orElseThrow().sha256())
        .extracting(d -> d.hex()).containsExactly("1".repeat(64), "2".repeat(64), "3".repeat(64));

    byte[] tampered = chunkedCatalog("4".repeat(64));
    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, withSignedBytes(envelope, tampered)))
        .isInstanceOf(CatalogUntrustedException.class)
        .hasMessageContaining("signature by trusted key " + PUBLISHER.keyId() + " is invalid");
  }

  @Test
  void refusesAModelSplicedFromAnotherSignedCatalog() throws Exception {
    byte[] ours = simpleCatalog("example.models", 3, EXPIRES);
    byte[] envelope = signed(ours, PUBLISHER);
    String spliced = catalog("example.models", 3, EXPIRES,
        manifest("m-asr", "1.0.0", ASR_JA) + "," + manifest("evil-asr", "1.0.0", ASR_JA),
        "\"ja-asr\":{\"task\":\"asr\",\"language\":\"ja\",\"candidates\":[\"evil-asr\",\"m-asr\"]}");

    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, withSignedBytes(envelope, utf8(spliced))))
        .isInstanceOf(CatalogUntrustedException.class)
        .hasMessage("catalog source \"" + SRC + "\" served a catalog whose signature by trusted key " + PUBLISHER.keyId()
            + " is invalid; the catalog was changed after signing or damaged in transit, so fetch it again or ask its"
            + " publisher to sign it again");
  }

  @Test
  void refusesABareCatalogDocumentAsUnsigned() {
    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, simpleCatalog("example.models", 3, EXPIRES)))
        .isInstanceOf(CatalogUntrustedException.class)
        .hasMessage("catalog source \"" + SRC + "\" served an unsigned catalog; only signed catalogs are accepted,"
            + " so ask its publisher for a signed catalog envelope");
  }

  @Test
  void refusesAnEnvelopeWithoutSignaturesAsUnsigned() {
    String envelope = "{\"signed\":\"" + Base64.getEncoder().encodeToString(simpleCatalog("example.models", 3, EXPIRES))
        + "\",\"signatures\":[]}";

    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, utf8(envelope)))
        .isInstanceOf(CatalogUntrustedException.class)
        .hasMessage("catalog source \"" + SRC + "\" served an unsigned catalog; only signed catalogs are accepted,"
            + " so ask its publisher for a signed catalog envelope");
  }

  @Test
  void refusesACatalogSignedOnlyByUnknownKeys() throws Exception {
    byte[] envelope = signed(simpleCatalog("example.models", 3, EXPIRES), STRANGER);

    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER, NEW_PUBLISHER_KEY).accept(SOURCE, NONE, envelope))
        .isInstanceOf(CatalogUntrustedException.class)
        .hasMessage("catalog source \"" + SRC + "\" served a catalog signed only by unknown key " + STRANGER.keyId()
            + "; the trusted keys are " + PUBLISHER.keyId() + ", " + NEW_PUBLISHER_KEY.keyId()
            + ", so add the publisher's public key to the trusted keys if you trust this publisher");
  }

  @Test
  void refusesAnExpiredCatalog() throws Exception {
    Clock afterExpiry = Clock.fixed(Instant.parse("2026-09-01T00:00:01Z"), ZoneOffset.UTC);
    byte[] envelope = signed(simpleCatalog("example.models", 3, EXPIRES), PUBLISHER);

    assertThatThrownBy(() -> trust(afterExpiry, PUBLISHER).accept(SOURCE, NONE, envelope))
        .isInstanceOf(CatalogUntrustedException.class)
        .hasMessage("catalog source \"" + SRC + "\" served catalog example.models version 3 which expired at"
            + " 2026-09-01T00:00:00Z (it is now 2026-09-01T00:00:01Z); the publisher must publish a fresh catalog,"
            + " or a mirror is serving a stale copy");
  }

  @Test
  void expiryIsExclusive() throws Exception {
    Clock atExpiry = Clock.fixed(Instant.parse(EXPIRES), ZoneOffset.UTC);
    byte[] envelope = signed(simpleCatalog("example.models", 3, EXPIRES), PUBLISHER);

    assertThatThrownBy(() -> trust(atExpiry, PUBLISHER).accept(SOURCE, NONE, envelope))
        .isInstanceOf(CatalogUntrustedException.class).hasMessageContaining("which expired at " + EXPIRES);
  }

  @Test
  void refusesARollbackEvenAfterARestart() throws Exception {
    trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, signed(simpleCatalog("example.models", 5, EXPIRES), PUBLISHER));
    byte[] older = signed(simpleCatalog("example.models", 4, EXPIRES), PUBLISHER);

    CatalogTrust afterRestart = trust(BEFORE_EXPIRY, PUBLISHER);
    assertThat(afterRestart.lastAcceptedVersion(SOURCE)).isEqualTo(OptionalLong.of(5));
    assertThatThrownBy(() -> afterRestart.accept(SOURCE, NONE, older))
        .isInstanceOf(CatalogRollbackException.class)
        .hasMessage("catalog source \"" + SRC + "\" served catalog example.models version 4, which is lower than version 5"
            + " accepted before; refusing the rollback (a mirror may be serving a stale copy)");
  }

  @Test
  void acceptsTheSameCatalogAgainAndNewerVersions() throws Exception {
    byte[] v5 = signed(simpleCatalog("example.models", 5, EXPIRES), PUBLISHER);
    CatalogTrust trust = trust(BEFORE_EXPIRY, PUBLISHER);
    trust.accept(SOURCE, NONE, v5);

    assertThat(trust.accept(SOURCE, NONE, v5).version()).isEqualTo(5);
    assertThat(trust.accept(SOURCE, NONE, signed(simpleCatalog("example.models", 6, EXPIRES), PUBLISHER)).version()).isEqualTo(6);
    assertThat(trust.lastAcceptedVersion(SOURCE)).isEqualTo(OptionalLong.of(6));
  }

  @Test
  void refusesChangedContentUnderAnAcceptedVersion() throws Exception {
    CatalogTrust trust = trust(BEFORE_EXPIRY, PUBLISHER);
    trust.accept(SOURCE, NONE, signed(simpleCatalog("example.models", 5, EXPIRES), PUBLISHER));
    byte[] changed = signed(simpleCatalog("example.models", 5, "2026-12-01T00:00:00Z"), PUBLISHER);

    assertThatThrownBy(() -> trust.accept(SOURCE, NONE, changed))
        .isInstanceOf(CatalogRollbackException.class)
        .hasMessage("catalog source \"" + SRC + "\" served catalog example.models version 5 with different content than the"
            + " version 5 accepted before; the publisher must raise the version whenever the catalog changes");
  }

  @Test
  void aRefusedCatalogDoesNotMoveTheRollbackState() throws Exception {
    CatalogTrust trust = trust(Clock.fixed(Instant.parse("2026-10-01T00:00:00Z"), ZoneOffset.UTC), PUBLISHER);

    assertThatThrownBy(() -> trust.accept(SOURCE, NONE, signed(simpleCatalog("example.models", 9, EXPIRES), PUBLISHER)))
        .isInstanceOf(CatalogUntrustedException.class).hasMessageContaining("which expired at");
    assertThat(trust.lastAcceptedVersion(SOURCE)).isEmpty();
  }

  @Test
  void refusesAValidlySignedCatalogWithAnotherCatalogId() throws Exception {
    // Both publishers are trusted, but this source is configured for example.models.
    byte[] other = signed(simpleCatalog("other.models", 9, EXPIRES), NEW_PUBLISHER_KEY);

    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER, NEW_PUBLISHER_KEY).accept(SOURCE, NONE, other))
        .isInstanceOf(CatalogUntrustedException.class)
        .hasMessage("catalog source \"" + SRC + "\" served catalog \"other.models\" but is configured for catalog"
            + " \"example.models\"; refusing a catalog from another publisher, so fix the source's URL or its expected catalog id");
  }

  @Test
  void keyRotationAcceptsOldAndNewKeysWhileBothAreTrusted() throws Exception {
    CatalogTrust rotating = trust(BEFORE_EXPIRY, PUBLISHER, NEW_PUBLISHER_KEY);

    assertThat(rotating.accept(SOURCE, NONE, signed(simpleCatalog("example.models", 1, EXPIRES), PUBLISHER)).version()).isEqualTo(1);
    assertThat(rotating.accept(SOURCE, NONE, signed(simpleCatalog("example.models", 2, EXPIRES), PUBLISHER, NEW_PUBLISHER_KEY)).version())
        .isEqualTo(2);
    assertThat(rotating.accept(SOURCE, NONE, signed(simpleCatalog("example.models", 3, EXPIRES), NEW_PUBLISHER_KEY)).version()).isEqualTo(3);
  }

  @Test
  void afterRotationTheRetiredKeyIsRefused() throws Exception {
    byte[] byOldKey = signed(simpleCatalog("example.models", 4, EXPIRES), PUBLISHER);

    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, NEW_PUBLISHER_KEY).accept(SOURCE, NONE, byOldKey))
        .isInstanceOf(CatalogUntrustedException.class).hasMessageContaining("signed only by unknown key " + PUBLISHER.keyId());
  }

  @Test
  void oneValidTrustedSignatureIsEnoughBesideAnUnknownOne() throws Exception {
    byte[] envelope = signed(simpleCatalog("example.models", 1, EXPIRES), STRANGER, PUBLISHER);

    assertThat(trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, envelope).version()).isEqualTo(1);
  }

  @Test
  void rollbackStateIsOneJsonFilePerSourceInTheStateFolder() throws Exception {
    CatalogTrust trust = trust(BEFORE_EXPIRY, PUBLISHER);
    byte[] document = simpleCatalog("example.models", 5, EXPIRES);
    trust.accept(SOURCE, NONE, signed(document, PUBLISHER));

    Path file = trust.stateFile(SOURCE);
    assertThat(file.getParent()).isEqualTo(state);
    assertThat(file.getFileName().toString()).matches("example\\.models-[0-9a-f]{16}\\.json");
    try (var files = Files.list(state)) {
      assertThat(files.toList()).containsExactly(file);
    }
    var json = Json.parse(Files.readAllBytes(file), Long.MAX_VALUE, "state").raw();
    assertThat(json.get("source").asText()).isEqualTo(SRC);
    assertThat(json.get("version").asLong()).isEqualTo(5);
    assertThat(json.get("sha256").asText()).isEqualTo(
        soko.verification.Digest.of(soko.verification.Hashing.newSha256().digest(document)).hex());
    assertThat(json.get("acceptedAt").asText()).isEqualTo("2026-06-01T00:00:00Z");
  }

  @Test
  void eachSourceHasItsOwnRollbackState() throws Exception {
    CatalogSource mirror = CatalogSource.of("example.models", URI.create("https://mirror.example.net/catalog.json"));
    CatalogTrust trust = trust(BEFORE_EXPIRY, PUBLISHER);
    trust.accept(SOURCE, NONE, signed(simpleCatalog("example.models", 5, EXPIRES), PUBLISHER));

    assertThat(trust.accept(mirror, NONE, signed(simpleCatalog("example.models", 2, EXPIRES), PUBLISHER)).version()).isEqualTo(2);
  }

  @Test
  void aDamagedStateFileIsReportedWithItsFix() throws Exception {
    CatalogTrust trust = trust(BEFORE_EXPIRY, PUBLISHER);
    trust.accept(SOURCE, NONE, signed(simpleCatalog("example.models", 5, EXPIRES), PUBLISHER));
    Path file = trust.stateFile(SOURCE);
    Files.writeString(file, "{\"schemaVersion\":1,\"source\":\"" + SRC + "\",\"catalogId\":\"example.models\",\"version\":\"5\"}");

    assertThatThrownBy(() -> trust.accept(SOURCE, NONE, signed(simpleCatalog("example.models", 6, EXPIRES), PUBLISHER)))
        .isInstanceOf(CatalogUnusableException.class)
        .hasMessage("catalog rollback state " + file + " is damaged at /version (expected a whole number from 1 to"
            + " 9223372036854775807, found a string); delete it to accept this source's catalogs again, which resets its"
            + " rollback protection")
        .satisfies(e -> assertThat(((CatalogUnusableException) e).pointer()).isEmpty());
  }

  @Test
  void refusesAnEnvelopeThatIsNotJson() {
    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, utf8("<html>captive portal</html>")))
        .isInstanceOf(CatalogUnusableException.class)
        .hasMessage("catalog source \"" + SRC + "\": invalid signed catalog envelope at /: the signed catalog envelope"
            + " is not valid JSON at line 1, column 1: unexpected character '<' where a value was expected");
  }

  @Test
  void refusesAnUnsupportedSignatureAlgorithm() {
    String envelope = "{\"signed\":\"e30=\",\"signatures\":[{\"keyId\":\"" + PUBLISHER.keyId()
        + "\",\"algorithm\":\"rsa-pss\",\"signature\":\"AAAA\"}]}";

    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, utf8(envelope)))
        .isInstanceOf(CatalogUnusableException.class)
        .hasMessage("catalog source \"" + SRC + "\": invalid signed catalog envelope at /signatures/0/algorithm:"
            + " unsupported algorithm \"rsa-pss\"; Soko verifies ed25519 signatures only");
  }

  @Test
  void refusesSignedBytesThatAreNotBase64() {
    String envelope = "{\"signed\":\"not base64!\",\"signatures\":[{\"keyId\":\"" + PUBLISHER.keyId()
        + "\",\"algorithm\":\"ed25519\",\"signature\":\"AAAA\"}]}";

    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, utf8(envelope)))
        .isInstanceOf(CatalogUnusableException.class)
        .hasMessage("catalog source \"" + SRC + "\": invalid signed catalog envelope at /signed: is not standard base64"
            + " (Illegal base64 character 20)");
  }

  @Test
  void aSignedButMalformedCatalogIsRefusedWithItsPointer() throws Exception {
    byte[] document = utf8("{\"schemaVersion\":1,\"id\":\"example.models\",\"version\":1,\"expires\":\"" + EXPIRES
        + "\",\"models\":[{\"schemaVersion\":1}]}");
    byte[] envelope = new SignedEnvelope(document, List.of(new SignedEnvelope.Sig(PUBLISHER.keyId(), sign(document)))).write();

    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, envelope))
        .isInstanceOf(CatalogUnusableException.class)
        .hasMessage("catalog source \"" + SRC + "\": invalid catalog at /models/0/name: is missing; it is required")
        .satisfies(e -> assertThat(((CatalogUnusableException) e).pointer()).contains("/models/0/name"));
  }

  @Test
  void hostileDeeplyNestedSignedCatalogIsRefused() throws Exception {
    byte[] document = utf8("{\"models\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
    byte[] envelope = new SignedEnvelope(document, List.of(new SignedEnvelope.Sig(PUBLISHER.keyId(), sign(document)))).write();

    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, envelope))
        .isInstanceOf(CatalogUnusableException.class)
        .hasMessage("catalog source \"" + SRC + "\": invalid catalog at /: the catalog breaks a limit: nesting depth (33)"
            + " exceeds the maximum allowed (32)");
  }

  @Test
  void hostileHugeEnvelopeIsRefusedBeforeParsing() {
    byte[] huge = new byte[SignedEnvelope.MAX_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) '[');

    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, NONE, huge))
        .isInstanceOf(CatalogUnusableException.class)
        .hasMessage("catalog source \"" + SRC + "\": invalid signed catalog envelope at /: the signed catalog envelope is "
            + huge.length + " bytes; the limit is " + SignedEnvelope.MAX_BYTES + " bytes, so this is not a signed catalog envelope");
  }

  private static byte[] sign(byte[] data) throws Exception {
    var signer = java.security.Signature.getInstance("Ed25519");
    signer.initSign(PUBLISHER.privateKey());
    signer.update(data);
    return signer.sign();
  }

  @Test
  void aRemoteSourceCannotClaimTheBuiltInCatalogId() {
    assertThatThrownBy(() -> CatalogSource.of("soko.builtin", URI.create("https://evil.example/catalog.json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("soko.builtin is the catalog shipped inside Soko; a remote source cannot serve it");
  }

  /** A model of the built-in catalog, described again with another file: the shadowing attack. */
  private static String builtinModelWithOtherFile() throws Exception {
    Catalog builtin = BuiltinCatalog.load();
    soko.manifest.Manifest m = builtin.models().stream().filter(x -> !x.bundled()).findFirst().orElseThrow();
    return manifest(m.name().value(), m.version().text(), ASR_JA);
  }

  @Test
  void refusesACatalogThatRedefinesABuiltInModelAndKeepsTheOneAcceptedBefore() throws Exception {
    Catalog builtin = BuiltinCatalog.load();
    soko.manifest.Manifest target = builtin.models().stream().filter(x -> !x.bundled()).findFirst().orElseThrow();
    Catalogs above = catalogsOf(builtin);
    CatalogTrust trust = trust(BEFORE_EXPIRY, PUBLISHER);
    byte[] good = signed(simpleCatalog("example.models", 2, EXPIRES), PUBLISHER);
    trust.accept(SOURCE, above, good);
    byte[] shadowing = signed(utf8(catalog("example.models", 3, EXPIRES,
        manifest("m-asr", "1.0.0", ASR_JA) + "," + builtinModelWithOtherFile(),
        "\"ja-asr\":{\"task\":\"asr\",\"language\":\"ja\",\"candidates\":[\"m-asr\"]}")), PUBLISHER);

    assertThatThrownBy(() -> trust.accept(SOURCE, above, shadowing))
        .isInstanceOf(CatalogConflictException.class)
        .hasMessageStartingWith("catalog source \"" + SRC + "\": catalog \"example.models\" describes " + target.id()
            + " differently from the built-in catalog (adds the file model.bin; drops the file "
            + target.files().getFirst().path() + "; other tasks; another engine; another licence; another description; other annotations)")
        .hasMessageEndingWith("; a published model version never changes, so its publisher must give the changed model"
            + " a new version");
    assertThat(trust.lastAcceptedVersion(SOURCE)).isEqualTo(OptionalLong.of(2));
    assertThat(trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, above, good).version())
        .as("the catalog accepted before is still accepted (no rollback recorded)").isEqualTo(2);
  }

  @Test
  void refusesACatalogThatRedefinesAModelOfAHigherPriorityCatalog() throws Exception {
    Catalog first = CatalogCodec.parse(simpleCatalog("first.models", 1, EXPIRES), "first");
    String sameNameOtherFile = manifest("m-asr", "1.0.0", ASR_JA).replace("\"size\":", "\"size\":1");
    byte[] second = signed(utf8(catalog("example.models", 1, EXPIRES, sameNameOtherFile,
        "\"ko-asr\":{\"task\":\"asr\",\"language\":\"ja\",\"candidates\":[\"m-asr\"]}")), PUBLISHER);

    assertThatThrownBy(() -> trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, catalogsOf(BuiltinCatalog.load(), first), second))
        .isInstanceOf(CatalogConflictException.class)
        .hasMessageContaining("catalog \"example.models\" describes m-asr@1.0.0 differently from catalog \"first.models\""
            + " (model.bin is 111 bytes with sha256 ")
        .hasMessageContaining(", not 11 bytes with sha256 ");
    assertThat(trust(BEFORE_EXPIRY, PUBLISHER).lastAcceptedVersion(SOURCE)).isEmpty();
  }

  @Test
  void acceptsACatalogThatAddsAMirrorForABuiltInModel() throws Exception {
    Catalog builtin = BuiltinCatalog.load();
    soko.manifest.Manifest target = builtin.models().stream().filter(x -> !x.bundled()).findFirst().orElseThrow();
    String same = new String(soko.manifest.ManifestCodec.write(target), java.nio.charset.StandardCharsets.UTF_8)
        .replaceFirst("\"sources\": \\[", "\"sources\": [\"https://lan-mirror.example/m.bin\", ");
    byte[] mirror = signed(utf8(catalog("example.models", 1, EXPIRES, same, "")), PUBLISHER);

    Catalog accepted = trust(BEFORE_EXPIRY, PUBLISHER).accept(SOURCE, catalogsOf(builtin), mirror);

    assertThat(catalogsOf(builtin).with(accepted).model(target.name(), target.version()).orElseThrow()
        .files().getFirst().sources()).hasSize(target.files().getFirst().sources().size() + 1);
  }
}
