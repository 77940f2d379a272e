package soko.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.manifest.VersionRange;
import soko.verification.Digest;

class BuiltinCatalogTest {
  private static final String PHRASEBOOK = "soko/bundled/demo-phrasebook/manifest.json";
  private static final String REVISION = "5359861c739e955e79d9a303bcbc70fb988958b1";

  /**
   * The demo phrasebook is bundled by another module of work; until its manifest is on the class
   * path these tests stand in a minimal one with the tasks the aliases need. Production loading
   * ({@link BuiltinCatalog#load()}) requires the real one.
   */
  private static final String PHRASEBOOK_STAND_IN = """
      {"schemaVersion":1,"name":"demo-phrasebook","version":"0.1.0","demo":true,
       "tasks":[{"task":"translate","from":["ja","ko"],"to":"en"}],
       "engine":{"id":"phrasebook"},
       "license":{"spdx":"MIT","url":"bundled:demo-phrasebook/LICENSE"},
       "files":[{"path":"phrases.tsv","size":1,"sha256":"%s","sources":["bundled:demo-phrasebook/phrases.tsv"]}]}
      """.formatted("0".repeat(64));

  private static Optional<byte[]> classPath(String path) throws IOException {
    try (InputStream in = BuiltinCatalog.class.getClassLoader().getResourceAsStream(path)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    }
  }

  private static Optional<byte[]> withPhrasebook(String path) throws IOException {
    Optional<byte[]> real = classPath(path);
    if (real.isEmpty() && path.equals(PHRASEBOOK)) {
      return Optional.of(Fixtures.utf8(PHRASEBOOK_STAND_IN));
    }
    return real;
  }

  private static Catalog builtin() throws CatalogMalformedException {
    return BuiltinCatalog.load(BuiltinCatalogTest::withPhrasebook);
  }

  @Test
  void isTheSokoBuiltinCatalogWithoutExpiry() throws Exception {
    Catalog c = builtin();

    assertThat(c.id()).isEqualTo(Catalog.BUILTIN_ID);
    assertThat(c.expires()).isEmpty();
    assertThat(c.models()).extracting(m -> m.name().value())
        .containsExactly("silero-vad", "demo-phrasebook", "whisper-tiny", "whisper-base", "whisper-small");
  }

  @Test
  void whisperModelsCarryTheirExactSizesDigestsAndPinnedUrls() throws Exception {
    Catalog c = builtin();
    record Expected(String size, long bytes, String sha256) {}
    List<Expected> expected = List.of(
        new Expected("tiny", 77_691_713L, "be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21"),
        new Expected("base", 147_951_465L, "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe"),
        new Expected("small", 487_601_967L, "1be3a9b2063867b937e64e2ec7483364a79917e157fa98c5d94b5c1fffea987b"));

    for (Expected e : expected) {
      Manifest m = c.model(new ModelName("whisper-" + e.size())).orElseThrow();
      ModelFile file = m.files().getFirst();
      assertThat(m.files()).hasSize(1);
      assertThat(file.path().value()).isEqualTo("ggml-" + e.size() + ".bin");
      assertThat(file.size()).isEqualTo(e.bytes());
      assertThat(file.sha256()).isEqualTo(Digest.ofHex(e.sha256()));
      assertThat(file.sources()).extracting(s -> s.uri()).containsExactly(
          URI.create("https://huggingface.co/ggerganov/whisper.cpp/resolve/" + REVISION + "/ggml-" + e.size() + ".bin"));
      assertThat(m.engine().id()).isEqualTo("whisper.cpp");
      assertThat(m.engine().versions()).isEqualTo(new VersionRange(">=1.7 <2"));
      assertThat(m.license().spdx()).isEqualTo("MIT");
      assertThat(m.license().url()).isEqualTo(URI.create("https://github.com/ggml-org/whisper.cpp/blob/master/LICENSE"));
      assertThat(m.license().attribution()).contains("OpenAI").contains("ggml");
      assertThat(m.tasks()).containsExactly(
          TaskSpec.asr(Language.JA, Language.KO), TaskSpec.speechTranslate(Language.EN, Language.JA, Language.KO));
    }
  }

  @Test
  void bundledModelsAreTheManifestsShippedInsideSoko() throws Exception {
    Manifest shipped = ManifestCodec.parse(classPath("soko/bundled/silero-vad/manifest.json").orElseThrow(), "silero-vad");

    assertThat(builtin().model(new ModelName("silero-vad"))).contains(shipped);
  }

  @Test
  void definesTheStandardAliases() throws Exception {
    Catalog c = builtin();

    assertThat(c.aliases()).extracting(Alias::name)
        .containsExactly("vad", "ja-asr", "ko-asr", "ja-en-speech", "ko-en-speech", "ja-en", "ko-en");
    assertThat(c.alias("ko-en-speech").orElseThrow()).isEqualTo(Alias.speechTranslate("ko-en-speech", Language.KO, Language.EN,
        List.of(new ModelName("whisper-small"), new ModelName("whisper-base"), new ModelName("whisper-tiny"))));
    assertThat(c.alias("ko-en").orElseThrow()).isEqualTo(Alias.translate("ko-en", Language.KO, Language.EN,
        List.of(new ModelName("opus-mt-ko-en"), new ModelName("demo-phrasebook"))));
  }

  @Test
  void aliasesResolveToTheFirstCandidateInTheCatalogForPull() throws Exception {
    Catalogs all = Catalogs.of(builtin(), List.of());

    assertThat(all.resolve("vad").orElseThrow().manifest().name().value()).isEqualTo("silero-vad");
    assertThat(all.resolve("ja-asr").orElseThrow().manifest().name().value()).isEqualTo("whisper-base");
    assertThat(all.resolve("ja-asr").orElseThrow().task()).isEqualTo(TaskSpec.asr(Language.JA));
    assertThat(all.resolve("ko-en-speech").orElseThrow().manifest().name().value()).isEqualTo("whisper-small");
    assertThat(all.resolve("ko-en-speech").orElseThrow().task().task()).isEqualTo(Task.SPEECH_TRANSLATE);
    // opus-mt-ja-en is not in the built-in catalog yet, so pulling ja-en falls through to the phrasebook.
    assertThat(all.resolve("ja-en").orElseThrow().manifest().name().value()).isEqualTo("demo-phrasebook");
  }

  @Test
  void atUseTimeTheFirstInstalledCandidateWins() throws Exception {
    Alias jaEn = builtin().alias("ja-en").orElseThrow();
    Alias jaAsr = builtin().alias("ja-asr").orElseThrow();

    assertThat(jaEn.pick(n -> n.value().equals("opus-mt-ja-en") || n.value().equals("demo-phrasebook")))
        .contains(new ModelName("opus-mt-ja-en"));
    assertThat(jaAsr.pick(n -> n.value().equals("whisper-tiny") || n.value().equals("whisper-small")))
        .contains(new ModelName("whisper-small"));
    assertThat(jaAsr.pick(n -> false)).isEmpty();
  }

  @Test
  void aMissingBundledManifestIsReportedAsAnIncompleteBuild() {
    assertThatThrownBy(() -> BuiltinCatalog.load(path -> path.equals(PHRASEBOOK) ? Optional.empty() : classPath(path)))
        .isInstanceOf(CatalogMalformedException.class)
        .hasMessage("the built-in catalog (soko/catalog/builtin.json): invalid catalog at /bundled/1:"
            + " no model \"demo-phrasebook\" is shipped inside this Soko; this build is incomplete");
  }

  @Test
  void aDamagedBundledManifestNamesItsFile() {
    assertThatThrownBy(() -> BuiltinCatalog.load(path -> path.equals(PHRASEBOOK)
            ? Optional.of(Fixtures.utf8("{\"schemaVersion\":1}")) : classPath(path)))
        .isInstanceOf(CatalogMalformedException.class)
        .hasMessage("the built-in catalog (soko/catalog/builtin.json): invalid catalog at /bundled/1:"
            + " soko/bundled/demo-phrasebook/manifest.json: invalid manifest at /name: is missing; it is required");
  }
}
