package soko.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.acquisition.oci.ModelPack;
import soko.app.Bundles;
import soko.app.Consent;
import soko.app.Soko;
import soko.catalog.CatalogPublisher;
import soko.catalog.SigningKey;
import soko.catalog.TrustedKeys;
import soko.manifest.Manifest;
import soko.store.FileState;
import soko.store.ModelCheck;

/** Export on one store, import on a second one offline, then a full verify; trust decisions; determinism. */
class BundleRoundTripTest {
  @TempDir
  Path dir;

  @Test
  void aBundleImportedOfflineOnAnotherStoreVerifiesInFull() throws Exception {
    Soko a = BundleFixture.soko(dir.resolve("a"));
    a.install("silero-vad");
    Manifest team = BundleFixture.parse(BundleFixture.teamModelJson(dir.resolve("src"), "team-mt", "1.0.0", 300_000, 1));
    a.install(team, "file");
    Path tar = dir.resolve("usb/models.tar");
    Files.createDirectories(tar.getParent());
    Bundles.ExportResult r = new Bundles(a).export(List.of("silero-vad", "team-mt"), tar, false);
    assertThat(r.models()).extracting(BundleWriter.WrittenModel::id).containsExactly("silero-vad@6.0.0", "team-mt@1.0.0");

    Soko b = BundleFixture.offline(dir.resolve("b"));
    Bundles.ImportResult imported = new Bundles(b).importBundle(tar, true, Consent.REFUSE, BundleReader.Listener.NONE);
    assertThat(imported.models()).extracting(Bundles.ImportedModel::model, Bundles.ImportedModel::signed)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("silero-vad@6.0.0", true),
            org.assertj.core.groups.Tuple.tuple("team-mt@1.0.0", false));
    assertThat(imported.models().get(1).origin()).isEqualTo("bundle:models.tar (unsigned)");
    List<ModelCheck> checks = b.verify(Optional.empty(), true);
    assertThat(checks).hasSize(2).allSatisfy(c -> assertThat(c.state()).isEqualTo(FileState.VERIFIED));
    assertThat(b.store().installed(team.name()).orElseThrow().manifest().files())
        .extracting(f -> f.sha256().hex()).containsExactlyElementsOf(team.files().stream().map(f -> f.sha256().hex()).toList());
    try (var staged = Files.list(b.store().stagingDir())) {
      assertThat(staged.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("bundle-"))).as("nothing left staged")
          .isEmpty();
    }
  }

  @Test
  void theSameModelsGiveTheSameBytesAndTheManifestSokoPushWouldPublish() throws Exception {
    Soko a = BundleFixture.soko(dir.resolve("a"));
    Manifest team = BundleFixture.parse(BundleFixture.teamModelJson(dir.resolve("src"), "team-mt", "1.0.0", 100_000, 2));
    a.install(team, "file");
    Path one = dir.resolve("one.tar");
    Path two = dir.resolve("two.tar");
    Bundles.ExportResult r = new Bundles(a).export(List.of("team-mt"), one, false);
    new Bundles(a).export(List.of("team-mt"), two, false);
    assertThat(Files.readAllBytes(one)).isEqualTo(Files.readAllBytes(two));
    assertThat(r.models().getFirst().manifestDigest())
        .isEqualTo(ModelPack.write(a.store().installed(team.name()).orElseThrow().manifest(), Optional.empty(), java.time.Instant.EPOCH).manifestDigest());
    assertThat(Files.size(one) % 512).isZero();
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString())).as("no temp file left beside the bundle")
          .noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void anExistingFileIsNotReplacedWithoutForce() throws Exception {
    Soko a = BundleFixture.soko(dir.resolve("a"));
    a.install("silero-vad");
    Path tar = dir.resolve("models.tar");
    Files.writeString(tar, "my notes");
    assertThatThrownBy(() -> new Bundles(a).export(List.of("silero-vad"), tar, false))
        .isInstanceOf(BundleException.class).hasMessage(tar + " already exists; pass --force to replace it, or choose another name");
    assertThat(Files.readString(tar)).isEqualTo("my notes");
    new Bundles(a).export(List.of("silero-vad"), tar, true);
    assertThat(Files.size(tar)).isGreaterThan(2_000_000);
  }

  @Test
  void anUnsignedModelIsRefusedWithoutTrustUnsignedAndNothingIsInstalled() throws Exception {
    Soko a = BundleFixture.soko(dir.resolve("a"));
    a.install("silero-vad");
    a.install(BundleFixture.parse(BundleFixture.teamModelJson(dir.resolve("src"), "team-mt", "1.0.0", 50_000, 3)), "file");
    Path tar = dir.resolve("models.tar");
    new Bundles(a).export(List.of("silero-vad", "team-mt"), tar, false);
    Soko b = BundleFixture.offline(dir.resolve("b"));
    assertThatThrownBy(() -> new Bundles(b).importBundle(tar, false, Consent.REFUSE, BundleReader.Listener.NONE))
        .isInstanceOf(BundleException.class)
        .hasMessage("bundle " + tar + ": no catalog this machine trusts vouches for team-mt@1.0.0; add the catalog that"
            + " publishes it (`soko catalog add`), or pass --trust-unsigned to install unsigned models anyway");
    assertThat(b.list()).isEmpty();
  }

  @Test
  void aSignedCatalogCarriedInTheBundleVouchesForItsModelsOnAnOfflineMachine() throws Exception {
    SigningKey key = CatalogPublisher.generateKey();
    Path keyFile = dir.resolve("keys/team.key");
    Path pub = dir.resolve("keys/team.pub.json");
    Files.createDirectories(keyFile.getParent());
    CatalogPublisher.writeKey(key, keyFile, pub, "Example team");
    String model = BundleFixture.teamModelJson(dir.resolve("src"), "team-mt", "1.0.0", 80_000, 4);
    String expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    byte[] doc = ("{\"schemaVersion\":1,\"id\":\"example.models\",\"version\":3,\"expires\":\"" + expires + "\",\"models\":["
        + model + "]}").getBytes(StandardCharsets.UTF_8);
    Path signed = dir.resolve("publish/catalog.signed.json");
    Files.createDirectories(signed.getParent());
    Files.write(signed, CatalogPublisher.sign(doc, List.of(key), "test"));
    TrustedKeys keys = TrustedKeys.parse(Files.readAllBytes(pub), pub.toString());

    Soko a = BundleFixture.soko(dir.resolve("a"));
    a.addCatalog(signed.toUri(), "example.models", keys);
    assertThat(a.updateCatalogs()).allSatisfy(u -> assertThat(u.error()).isEmpty());
    a.install("team-mt");
    Path tar = dir.resolve("models.tar");
    Bundles.ExportResult r = new Bundles(a).export(List.of("team-mt"), tar, false);
    assertThat(r.catalogs()).containsExactly("example.models");

    Soko b = BundleFixture.offline(dir.resolve("b"));
    b.addCatalog(URI.create("https://models.example.org/catalog.signed.json"), "example.models", keys); // never fetched
    Bundles.ImportResult imported = new Bundles(b).importBundle(tar, false, Consent.REFUSE, BundleReader.Listener.NONE);
    assertThat(imported.models()).singleElement().satisfies(m -> {
      assertThat(m.signed()).isTrue();
      assertThat(m.vouchedBy()).contains("example.models");
      assertThat(m.origin()).isEqualTo("bundle:models.tar");
    });
    assertThat(imported.notes()).containsExactly("catalog example.models version 3 from the bundle verified and kept");
    assertThat(b.catalogs().model(new soko.manifest.ModelName("team-mt"))).as("the carried catalog is in force").isPresent();
    assertThat(b.verify(Optional.empty(), true)).singleElement().satisfies(c -> assertThat(c.state()).isEqualTo(FileState.VERIFIED));

    Soko stranger = BundleFixture.offline(dir.resolve("c")); // trusts no key of example.models
    assertThatThrownBy(() -> new Bundles(stranger).importBundle(tar, false, Consent.REFUSE, BundleReader.Listener.NONE))
        .isInstanceOf(BundleException.class).hasMessageContaining("no catalog this machine trusts vouches for team-mt@1.0.0");
    assertThat(stranger.list()).isEmpty();
  }

  @Test
  void aModelThatACatalogDescribesDifferentlyIsRefusedEvenWithTrustUnsigned() throws Exception {
    Soko a = BundleFixture.soko(dir.resolve("a"));
    // Claims to be the built-in silero-vad@6.0.0 but carries other bytes.
    String fake = BundleFixture.teamModelJson(dir.resolve("src"), "silero-vad", "6.0.0", 10_000, 5)
        .replace("\"translate\",\"from\":\"ja\",\"to\":\"en\"", "\"vad\"");
    a.install(BundleFixture.parse(fake), "file");
    Path tar = dir.resolve("fake.tar");
    new Bundles(a).export(List.of("silero-vad"), tar, false);
    Soko b = BundleFixture.offline(dir.resolve("b"));
    assertThatThrownBy(() -> new Bundles(b).importBundle(tar, true, Consent.REFUSE, BundleReader.Listener.NONE))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith("bundle " + tar + ": silero-vad@6.0.0 differs from the model of that name and version in"
            + " catalog soko.builtin (")
        .hasMessageEndingWith("); refused, even with --trust-unsigned");
    assertThat(b.list()).isEmpty();
    assertThat(Set.of()).isEmpty();
  }
}
