package soko.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static soko.catalog.Fixtures.ASR_JA;
import static soko.catalog.Fixtures.MT_JA_EN;
import static soko.catalog.Fixtures.VAD;
import static soko.catalog.Fixtures.parsedManifest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.SourceUri;
import soko.manifest.TaskSpec;

class CatalogsTest {
  private static final Optional<Instant> EXPIRES = Optional.of(Instant.parse("2026-09-01T00:00:00Z"));
  private static final Manifest ASR_1 = parsedManifest("m-asr", "1.0.0", ASR_JA);
  private static final Manifest ASR_2 = parsedManifest("m-asr", "2.0.0", ASR_JA);
  private static final Manifest MT = parsedManifest("m-mt", "1.0.0", MT_JA_EN);
  private static final Manifest VAD_MODEL = parsedManifest("m-vad", "1.0.0", VAD);

  private static ModelName n(String name) {
    return new ModelName(name);
  }

  private static Catalog base() {
    return new Catalog("base", 1, Optional.empty(), List.of(ASR_1, VAD_MODEL),
        List.of(Alias.asr("ja-asr", Language.JA, List.of(n("m-asr"))), Alias.vad("vad", List.of(n("m-vad")))));
  }

  @Test
  void remoteCatalogsAddModelsAndNewerVersions() throws Exception {
    Catalog remote = new Catalog("remote", 4, EXPIRES, List.of(ASR_2, MT),
        List.of(Alias.translate("ja-en", Language.JA, Language.EN, List.of(n("m-mt")))));

    Catalogs all = Catalogs.of(base(), List.of(remote));

    assertThat(all.catalogIds()).containsExactly("base", "remote");
    assertThat(all.models()).extracting(e -> e.manifest().id()).containsExactly("m-asr@2.0.0", "m-asr@1.0.0", "m-mt@1.0.0", "m-vad@1.0.0");
    assertThat(all.models().getFirst().catalogIds()).containsExactly("remote");
    assertThat(all.aliases()).extracting(a -> a.alias().name()).containsExactly("ja-asr", "ja-en", "vad");
    assertThat(all.model(n("m-asr"))).contains(ASR_2);
    assertThat(all.resolve("m-asr").orElseThrow().manifest()).isEqualTo(ASR_2);
    assertThat(all.resolve("m-asr@1.0.0").orElseThrow().manifest()).isEqualTo(ASR_1);
    assertThat(all.resolve("m-asr@1.0.0").orElseThrow().task()).isEqualTo(TaskSpec.asr(Language.JA));
  }

  @Test
  void aLaterCatalogsAliasReplacesAnEarlierOne() throws Exception {
    Manifest other = parsedManifest("corp-asr", "1.0.0", ASR_JA);
    Catalog remote = new Catalog("corp", 1, EXPIRES, List.of(other),
        List.of(Alias.asr("ja-asr", Language.JA, List.of(n("corp-asr"), n("m-asr")))));

    Catalogs all = Catalogs.of(base(), List.of(remote));

    assertThat(all.aliases()).filteredOn(a -> a.alias().name().equals("ja-asr")).singleElement()
        .extracting(AliasEntry::catalogId).isEqualTo("corp");
    Resolution r = all.resolve("ja-asr").orElseThrow();
    assertThat(r.manifest()).isEqualTo(other);
    assertThat(r.alias().orElseThrow().candidates()).containsExactly(n("corp-asr"), n("m-asr"));
  }

  @Test
  void theSameModelVersionWithOtherContentIsAConflict() {
    Manifest changed = parsedManifest("m-asr", "1.0.0", ASR_JA, MT_JA_EN);
    Catalog remote = new Catalog("remote", 1, EXPIRES, List.of(changed), List.of());

    assertThatThrownBy(() -> Catalogs.of(base(), List.of(remote)))
        .isInstanceOf(CatalogConflictException.class)
        .hasMessage("catalog \"remote\" describes m-asr@1.0.0 differently from catalog \"base\" (other tasks); a published model version"
            + " never changes, so its publisher must give the changed model a new version");
  }

  @Test
  void theSameModelVersionFromAMirrorCatalogAddsItsSources() throws Exception {
    ModelFile f = ASR_1.files().getFirst();
    SourceUri lan = SourceUri.parse("http://mirror.lan/m-asr/model.bin");
    Manifest mirrored = new Manifest(ASR_1.name(), ASR_1.version(), ASR_1.description(), ASR_1.tasks(), ASR_1.engine(),
        ASR_1.license(), List.of(new ModelFile(f.path(), f.size(), f.sha256(), List.of(lan))), ASR_1.demo(), ASR_1.annotations());
    Catalog lanCatalog = new Catalog("lan", 1, EXPIRES, List.of(mirrored), List.of());

    Catalogs all = Catalogs.of(base(), List.of(lanCatalog));

    CatalogEntry entry = all.models().getFirst();
    assertThat(entry.catalogIds()).containsExactly("base", "lan");
    assertThat(entry.manifest().files().getFirst().sources()).extracting(SourceUri::uri)
        .containsExactly(URI.create("https://models.example.org/m-asr/1.0.0/model.bin"), URI.create("http://mirror.lan/m-asr/model.bin"));
  }

  /** ASR_1 with its one file {@code size} bytes long, from {@code source}, with the chunk digests given. */
  private static Manifest asrWith(long size, String source, java.util.Optional<soko.manifest.ChunkDigests> chunks) {
    ModelFile f = ASR_1.files().getFirst();
    return new Manifest(ASR_1.name(), ASR_1.version(), ASR_1.description(), ASR_1.tasks(), ASR_1.engine(),
        ASR_1.license(), List.of(new ModelFile(f.path(), size, f.sha256(), List.of(SourceUri.parse(source)), chunks)),
        ASR_1.demo(), ASR_1.annotations());
  }

  @Test
  void chunkDigestsAreNotContentSoAMirrorCatalogListingThemAddsItsSourcesAndTheFirstDefinitionStands() throws Exception {
    long size = 32L << 20;
    Manifest plain = asrWith(size, "https://models.example.org/m-asr/model.bin", Optional.empty());
    Manifest chunked = asrWith(size, "http://mirror.lan/m-asr/model.bin", Optional.of(new soko.manifest.ChunkDigests(
        16L << 20, List.of(soko.verification.Digest.ofHex("1".repeat(64)), soko.verification.Digest.ofHex("2".repeat(64))))));
    Catalog first = new Catalog("first", 1, EXPIRES, List.of(plain), List.of());
    Catalog lan = new Catalog("lan", 1, EXPIRES, List.of(chunked), List.of());

    Catalogs all = Catalogs.merge(List.of(first, lan));

    ModelFile merged = all.models().getFirst().manifest().files().getFirst();
    assertThat(merged.sources()).extracting(SourceUri::toString)
        .containsExactly("https://models.example.org/m-asr/model.bin", "http://mirror.lan/m-asr/model.bin");
    assertThat(merged.chunks()).isEmpty();
  }

  @Test
  void aNameCannotBeAModelInOneCatalogAndAnAliasInAnother() {
    Manifest named = parsedManifest("vad", "1.0.0", VAD);
    Catalog remote = new Catalog("remote", 1, EXPIRES, List.of(named), List.of());

    assertThatThrownBy(() -> Catalogs.of(base(), List.of(remote)))
        .isInstanceOf(CatalogConflictException.class)
        .hasMessage("\"vad\" is a model in catalog \"remote\" and an alias in catalog \"base\"; one of the publishers must rename it");
  }

  @Test
  void theSameCatalogTwiceIsRefused() {
    assertThatThrownBy(() -> Catalogs.of(base(), List.of(base())))
        .isInstanceOf(CatalogConflictException.class)
        .hasMessage("catalog \"base\" is given twice; configure each catalog once");
  }

  @Test
  void unknownNamesAndInvalidTextResolveToNothing() throws Exception {
    Catalogs all = Catalogs.of(base(), List.of());

    assertThat(all.resolve("nope")).isEmpty();
    assertThat(all.resolve("m-asr@9.0.0")).isEmpty();
    assertThat(all.resolve("Not A Name")).isEmpty();
    assertThat(all.resolve("m-asr@not-a-version")).isEmpty();
  }

  @Test
  void anAliasResolvesToItsFirstCandidateListedInAnyCatalog() throws Exception {
    Catalog remote = new Catalog("remote", 1, EXPIRES, List.of(MT),
        List.of(Alias.translate("ja-en", Language.JA, Language.EN, List.of(n("opus-mt-ja-en"), n("m-mt")))));

    Resolution r = Catalogs.of(base(), List.of(remote)).resolve("ja-en").orElseThrow();

    assertThat(r.manifest()).isEqualTo(MT);
    assertThat(r.task()).isEqualTo(TaskSpec.translate(Language.JA, Language.EN));
    assertThat(r.requested()).isEqualTo("ja-en");
  }

  @Test
  void catalogsBuiltInCodeObeyTheSameRules() {
    assertThatThrownBy(() -> new Catalog("base", 1, Optional.empty(), List.of(ASR_1),
            List.of(Alias.asr("ko-asr", Language.KO, List.of(n("m-asr"))))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model \"m-asr\" does not do asr ko; its tasks are asr ja");
  }

  @Test
  void aLaterCatalogsAliasCannotRouteATaskToAnotherCatalogsModelThatCannotDoIt() {
    // base's m-asr transcribes Japanese; a remote alias sending Korean speech to it is refused at merge.
    Manifest korean = parsedManifest("ko-asr-model", "1.0.0", "{\"task\":\"asr\",\"languages\":[\"ko\"]}");
    Catalog remote = new Catalog("remote", 1, EXPIRES, List.of(korean),
        List.of(Alias.asr("ko-asr", Language.KO, List.of(n("m-asr"), n("ko-asr-model")))));

    assertThatThrownBy(() -> Catalogs.of(base(), List.of(remote)))
        .isInstanceOf(CatalogConflictException.class)
        .hasMessageContaining("alias \"ko-asr\" of catalog \"remote\" names model \"m-asr\" of catalog \"base\", which"
            + " does not do asr ko; its tasks are asr ja; the alias's publisher must drop that candidate");
  }

  @Test
  void aNonCommercialModelIsNeverAnAliasCandidate() {
    Manifest nc = withLicence(parsedManifest("nc-mt", "1.0.0", MT_JA_EN), "CC-BY-NC-4.0");

    assertThatThrownBy(() -> new Catalog("base", 1, Optional.empty(), List.of(nc, MT),
            List.of(Alias.translate("ja-en", Language.JA, Language.EN, List.of(n("m-mt"), n("nc-mt"))))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model \"nc-mt\" is licensed for non-commercial use only (CC-BY-NC-4.0); such a model is installed"
            + " only when named, never through an alias");
  }

  @Test
  void aNonCommercialModelOfAnotherCatalogIsNeverAnAliasCandidateEither() {
    Manifest nc = withLicence(parsedManifest("nc-mt", "1.0.0", MT_JA_EN), "CC-BY-NC-SA-4.0");
    Catalog models = new Catalog("models", 1, EXPIRES, List.of(nc), List.of());
    Catalog remote = new Catalog("remote", 1, EXPIRES, List.of(MT),
        List.of(Alias.translate("ja-en", Language.JA, Language.EN, List.of(n("nc-mt"), n("m-mt")))));

    assertThatThrownBy(() -> Catalogs.of(base(), List.of(models, remote)))
        .isInstanceOf(CatalogConflictException.class)
        .hasMessageContaining("names model \"nc-mt\" of catalog \"models\", which is licensed for non-commercial use"
            + " only (CC-BY-NC-SA-4.0)");
  }

  @Test
  void atUseTimeAnInstalledModelThatCannotDoTheTaskIsSkipped() {
    // An installed manifest (here one that only translates) may differ from what a catalog lists.
    Alias jaAsr = Alias.asr("ja-asr", Language.JA, List.of(n("m-mt"), n("m-asr")));
    java.util.Map<ModelName, Manifest> installed = java.util.Map.of(n("m-mt"), MT, n("m-asr"), ASR_1);

    assertThat(jaAsr.pick(installed::containsKey)).contains(n("m-mt"));
    assertThat(jaAsr.pickCapable(name -> Optional.ofNullable(installed.get(name)))).contains(ASR_1);
  }

  private static Manifest withLicence(Manifest m, String spdx) {
    return new Manifest(m.name(), m.version(), m.description(), m.tasks(), m.engine(),
        new soko.manifest.License(spdx, URI.create("https://creativecommons.org/licenses/by-nc/4.0/"), "Example"),
        m.files(), m.demo(), m.annotations());
  }
}
