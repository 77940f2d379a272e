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
import soko.testkit.ggml.FileType;
import soko.testkit.ggml.WhisperTestModel;
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

  private static Catalog builtin() throws CatalogUnusableException {
    return BuiltinCatalog.load(BuiltinCatalogTest::withPhrasebook);
  }

  private static final String KOTOBA_REVISION = "e3a0cf6a62b95911703cfb97d819292e058f12c3";
  private static final String M2M100_REVISION = "9c374f0b7aca709787cea97b047bfbbd1559d177";
  /** Every model that can be downloaded: the pins confirmed in two public sources each (builtin-sources.json). */
  private static final List<String> DOWNLOADABLE = List.of("whisper-tiny", "whisper-tiny-q5_1", "whisper-base",
      "whisper-base-q5_1", "whisper-small", "whisper-small-q5_1", "whisper-medium-q5_0", "whisper-large-v3-turbo-q5_0",
      "whisper-large-v3-q5_0", "kotoba-whisper-v2.0-q5_0", "m2m100-418m", "nllb-200-distilled-600m");

  private static ModelName n(String name) {
    return new ModelName(name);
  }

  @Test
  void isTheSokoBuiltinCatalogWithoutExpiry() throws Exception {
    Catalog c = builtin();

    assertThat(c.id()).isEqualTo(Catalog.BUILTIN_ID);
    assertThat(c.expires()).isEmpty();
    List<String> names = new java.util.ArrayList<>(List.of("silero-vad", "demo-phrasebook"));
    names.addAll(DOWNLOADABLE);
    assertThat(c.models()).extracting(m -> m.name().value()).containsExactlyElementsOf(names);
  }

  @Test
  void whisperModelsCarryTheirExactSizesDigestsAndPinnedUrls() throws Exception {
    Catalog c = builtin();
    record Expected(String model, String file, long bytes, String sha256) {}
    List<Expected> expected = List.of(
        new Expected("whisper-tiny", "ggml-tiny.bin", 77_691_713L, "be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21"),
        new Expected("whisper-tiny-q5_1", "ggml-tiny-q5_1.bin", 32_152_673L, "818710568da3ca15689e31a743197b520007872ff9576237bda97bd1b469c3d7"),
        new Expected("whisper-base", "ggml-base.bin", 147_951_465L, "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe"),
        new Expected("whisper-base-q5_1", "ggml-base-q5_1.bin", 59_707_625L, "422f1ae452ade6f30a004d7e5c6a43195e4433bc370bf23fac9cc591f01a8898"),
        new Expected("whisper-small", "ggml-small.bin", 487_601_967L, "1be3a9b2063867b937e64e2ec7483364a79917e157fa98c5d94b5c1fffea987b"),
        new Expected("whisper-small-q5_1", "ggml-small-q5_1.bin", 190_085_487L, "ae85e4a935d7a567bd102fe55afc16bb595bdb618e11b2fc7591bc08120411bb"),
        new Expected("whisper-medium-q5_0", "ggml-medium-q5_0.bin", 539_212_467L, "19fea4b380c3a618ec4723c3eef2eb785ffba0d0538cf43f8f235e7b3b34220f"),
        new Expected("whisper-large-v3-turbo-q5_0", "ggml-large-v3-turbo-q5_0.bin", 574_041_195L, "394221709cd5ad1f40c46e6031ca61bce88931e6e088c188294c6d5a55ffa7e2"),
        new Expected("whisper-large-v3-q5_0", "ggml-large-v3-q5_0.bin", 1_081_140_203L, "d75795ecff3f83b5faa89d1900604ad8c780abd5739fae406de19f23ecd98ad1"));

    for (Expected e : expected) {
      Manifest m = c.model(n(e.model())).orElseThrow();
      ModelFile file = m.files().getFirst();
      assertThat(m.files()).hasSize(1);
      assertThat(file.path().value()).isEqualTo(e.file());
      assertThat(file.size()).isEqualTo(e.bytes());
      assertThat(file.sha256()).isEqualTo(Digest.ofHex(e.sha256()));
      assertThat(file.sources()).extracting(s -> s.uri()).containsExactly(
          URI.create("https://huggingface.co/ggerganov/whisper.cpp/resolve/" + REVISION + "/" + e.file()));
      assertThat(m.engine().id()).isEqualTo("whisper.cpp");
      assertThat(m.engine().versions()).isEqualTo(new VersionRange(">=1.7 <2"));
      assertThat(m.license().spdx()).isEqualTo("MIT");
      assertThat(m.license().attribution()).contains("OpenAI").contains("ggml");
    }
  }

  @Test
  void kotobaWhisperAndM2m100CarryTheirExactSizesDigestsAndPinnedUrls() throws Exception {
    Catalog c = builtin();
    Manifest kotoba = c.model(n("kotoba-whisper-v2.0-q5_0")).orElseThrow();
    Manifest m2m = c.model(n("m2m100-418m")).orElseThrow();

    assertThat(kotoba.files()).singleElement().satisfies(f -> {
      assertThat(f.size()).isEqualTo(537_819_875L);
      assertThat(f.sha256()).isEqualTo(Digest.ofHex("4a3b92192b5d3578ff854a5876213e2e27af0c2d357492c2d14271e82c303658"));
      assertThat(f.sources()).extracting(s -> s.uri()).containsExactly(URI.create("https://huggingface.co/kotoba-tech/"
          + "kotoba-whisper-v2.0-ggml/resolve/" + KOTOBA_REVISION + "/ggml-kotoba-whisper-v2.0-q5_0.bin"));
    });
    assertThat(kotoba.license().spdx()).isEqualTo("Apache-2.0");
    assertThat(m2m.files()).extracting(f -> f.path().value() + " " + f.size()).containsExactly(
        "config.json 908", "tokenizer.json 7988527", "tokenizer_config.json 1813",
        "onnx/encoder_model_quantized.onnx 287856370", "onnx/decoder_model_merged_quantized.onnx 344128178");
    assertThat(m2m.files()).allSatisfy(f -> assertThat(f.sources()).extracting(s -> s.uri()).containsExactly(
        URI.create("https://huggingface.co/Xenova/m2m100_418M/resolve/" + M2M100_REVISION + "/" + f.path().value())));
    assertThat(m2m.engine().id()).isEqualTo("onnxruntime");
    assertThat(m2m.license().spdx()).isEqualTo("MIT");
  }

  @Test
  void everyDownloadIsPinnedToARevisionAndNoUrlNamesABranch() throws Exception {
    java.util.regex.Pattern pinned = java.util.regex.Pattern.compile(
        "https://huggingface\\.co/([^/]+/[^/]+)/resolve/([0-9a-f]{40})/(.+)");
    for (Manifest m : builtin().models()) {
      if (m.bundled()) {
        continue;
      }
      for (ModelFile f : m.files()) {
        assertThat(f.sources()).as(m.id() + " " + f.path()).isNotEmpty().allSatisfy(s -> {
          var url = pinned.matcher(s.toString());
          assertThat(url.matches()).as(s.toString()).isTrue();
          assertThat(url.group(3)).isEqualTo(f.path().value());
          assertThat("https://huggingface.co/" + url.group(1)).isEqualTo(m.annotations().get("source.repository"));
          assertThat(url.group(2)).isEqualTo(m.annotations().get("source.revision"));
        });
      }
      List<String> urls = new java.util.ArrayList<>(m.files().stream()
          .flatMap(f -> f.sources().stream()).map(Object::toString).toList());
      urls.add(m.license().url().toString());
      assertThat(urls).as(m.id()).noneMatch(u -> u.matches(".*/(main|master)(/.*)?$"));
    }
  }

  @Test
  void everyModelHasALicenceWithItsUrlAndAttributionAndADescription() throws Exception {
    for (Manifest m : builtin().models()) {
      assertThat(m.license().spdx()).as(m.id()).isNotBlank();
      assertThat(m.license().url().getScheme()).as(m.id()).isIn("https", "bundled");
      assertThat(m.license().attribution()).as(m.id()).isNotBlank();
      assertThat(m.description()).as(m.id()).hasSizeGreaterThan(80);
    }
  }

  @Test
  void theOnlyNonCommercialModelIsNllbWhichSaysSoAndIsNoAliasCandidate() throws Exception {
    Catalog c = builtin();

    assertThat(c.models()).filteredOn(ModelFacts::nonCommercial).extracting(m -> m.name().value())
        .containsExactly("nllb-200-distilled-600m");
    Manifest nllb = c.model(n("nllb-200-distilled-600m")).orElseThrow();
    assertThat(nllb.license().spdx()).isEqualTo("CC-BY-NC-4.0");
    assertThat(nllb.annotations()).containsEntry(ModelFacts.LICENSE_RESTRICTION, ModelFacts.NON_COMMERCIAL);
    assertThat(nllb.description()).contains("NON-COMMERCIAL").contains("--accept-license CC-BY-NC-4.0");
    assertThat(nllb.license().attribution()).contains("non-commercial");
    assertThat(nllb.tasks()).containsExactly(new TaskSpec(Task.TRANSLATE, List.of(Language.JA, Language.KO),
        Optional.of(Language.EN)));
    assertThat(c.aliases()).allSatisfy(a -> assertThat(a.candidates()).as(a.name()).doesNotContain(nllb.name()));
  }

  @Test
  void capabilitiesArePerModelNotPerFamily() throws Exception {
    Catalog c = builtin();

    assertThat(c.model(n("kotoba-whisper-v2.0-q5_0")).orElseThrow().tasks()).containsExactly(TaskSpec.asr(Language.JA));
    assertThat(c.model(n("whisper-large-v3-turbo-q5_0")).orElseThrow().tasks())
        .containsExactly(TaskSpec.asr(Language.JA, Language.KO));
    assertThat(c.model(n("whisper-large-v3-q5_0")).orElseThrow().tasks()).containsExactly(
        TaskSpec.asr(Language.JA, Language.KO), TaskSpec.speechTranslate(Language.EN, Language.JA, Language.KO));
    assertThat(c.model(n("m2m100-418m")).orElseThrow().tasks()).containsExactly(
        new TaskSpec(Task.TRANSLATE, List.of(Language.JA, Language.KO), Optional.of(Language.EN)));
  }

  @Test
  void definesTheStandardAliases() throws Exception {
    Catalog c = builtin();

    assertThat(c.aliases()).extracting(Alias::name)
        .containsExactly("vad", "ja-asr", "ko-asr", "ja-en-speech", "ko-en-speech", "ja-en", "ko-en");
    assertThat(c.alias("ko-en").orElseThrow()).isEqualTo(Alias.translate("ko-en", Language.KO, Language.EN,
        List.of(n("opus-mt-ko-en"), n("m2m100-418m"), n("demo-phrasebook"))));
    assertThat(c.alias("ja-en").orElseThrow().candidates())
        .containsExactly(n("opus-mt-ja-en"), n("m2m100-418m"), n("demo-phrasebook"));
  }

  @Test
  void aliasesNeverRouteATaskToAModelThatCannotDoIt() throws Exception {
    Catalog c = builtin();

    for (Alias a : c.aliases()) {
      for (ModelName candidate : a.candidates()) {
        c.model(candidate).ifPresent(m -> assertThat(a.servedBy(m)).as(a.name() + " → " + candidate).isTrue());
      }
    }
    // The capabilities that differ within the Whisper family.
    assertThat(c.aliases()).filteredOn(a -> a.candidates().contains(n("kotoba-whisper-v2.0-q5_0")))
        .extracting(Alias::name).containsExactly("ja-asr");
    assertThat(c.aliases()).filteredOn(a -> a.candidates().contains(n("whisper-large-v3-turbo-q5_0")))
        .extracting(Alias::name).containsExactly("ja-asr", "ko-asr");
    assertThat(c.alias("ja-en-speech").orElseThrow().candidates()).doesNotContain(n("whisper-large-v3-turbo-q5_0"));
  }

  @Test
  void aliasesResolveToTheFirstCandidateInTheCatalogForPull() throws Exception {
    Catalogs all = Catalogs.of(builtin(), List.of());

    assertThat(all.resolve("vad").orElseThrow().manifest().name().value()).isEqualTo("silero-vad");
    assertThat(all.resolve("ja-asr").orElseThrow().manifest().name().value()).isEqualTo("kotoba-whisper-v2.0-q5_0");
    assertThat(all.resolve("ja-asr").orElseThrow().task()).isEqualTo(TaskSpec.asr(Language.JA));
    assertThat(all.resolve("ko-asr").orElseThrow().manifest().name().value()).isEqualTo("whisper-large-v3-turbo-q5_0");
    assertThat(all.resolve("ko-en-speech").orElseThrow().manifest().name().value()).isEqualTo("whisper-large-v3-q5_0");
    assertThat(all.resolve("ko-en-speech").orElseThrow().task().task()).isEqualTo(Task.SPEECH_TRANSLATE);
    // A real translation model, not the demo phrasebook (opus-mt-ja-en is not in the built-in catalog).
    assertThat(all.resolve("ja-en").orElseThrow().manifest().name().value()).isEqualTo("m2m100-418m");
    assertThat(all.resolve("ko-en").orElseThrow().manifest().name().value()).isEqualTo("m2m100-418m");
    assertThat(all.resolve("ko-en").orElseThrow().task()).isEqualTo(TaskSpec.translate(Language.KO, Language.EN));
  }

  @Test
  void atUseTimeTheFirstInstalledCandidateWins() throws Exception {
    Alias jaEn = builtin().alias("ja-en").orElseThrow();
    Alias jaAsr = builtin().alias("ja-asr").orElseThrow();

    assertThat(jaEn.pick(x -> x.value().equals("opus-mt-ja-en") || x.value().equals("demo-phrasebook")))
        .contains(n("opus-mt-ja-en"));
    assertThat(jaEn.pick(x -> x.value().equals("demo-phrasebook"))).contains(n("demo-phrasebook"));
    assertThat(jaAsr.pick(x -> x.value().equals("whisper-tiny") || x.value().equals("whisper-small")))
        .contains(n("whisper-small"));
    assertThat(jaAsr.pick(x -> false)).isEmpty();
  }

  @Test
  void everyWhisperFileIsExactlyAsLargeAsItsDeclaredShapeNeeds() throws Exception {
    // Each whisper.cpp file is a header, the mel filters, one multilingual vocabulary block and the
    // tensors of its shape and weight type. The pinned sizes minus the bytes the declared shape needs
    // must leave the same vocabulary block in every file: a check of every shape annotation against
    // sizes confirmed elsewhere, and of the sizes against each other.
    java.util.Map<String, Long> vocabulary = new java.util.TreeMap<>();
    for (Manifest m : builtin().models()) {
      Optional<ModelFacts.WhisperShape> shape = ModelFacts.whisperShape(m);
      if (m.engine().id().equals("whisper.cpp")) {
        assertThat(shape).as(m.id() + " declares its whisper.cpp shape").isPresent();
      }
      if (shape.isEmpty()) {
        continue;
      }
      ModelFacts.WhisperShape s = shape.get();
      var h = new WhisperTestModel.HyperParameters(s.nVocab(), 1_500, s.nAudioState(), 1, s.nAudioLayer(), 448,
          s.nAudioState(), 1, s.nTextLayer(), s.nMels(), 1)
          .withFileType(FileType.valueOf(s.ftype().toUpperCase(java.util.Locale.ROOT)));
      long shapeBytes = WhisperTestModel.headerBytes(s.nMels()) + WhisperTestModel.tensorBytes(h);
      vocabulary.put(m.name().value(), m.totalSize() - shapeBytes);
    }

    assertThat(vocabulary).hasSize(10);
    assertThat(new java.util.HashSet<>(vocabulary.values())).as(vocabulary.toString()).singleElement()
        .satisfies(bytes -> assertThat(bytes).isBetween(400_000L, 600_000L));
  }

  @Test
  void theBuiltInAliasesPickModelsThatDoTheirJob() throws Exception {
    Catalogs all = Catalogs.of(builtin(), List.of());
    Hardware laptop = Hardware.of(8, 64L << 30, List.of("avx2", "avx512f"));

    for (AliasEntry a : all.aliases()) {
      Recommendation.Pick pick = Recommendation.pick(a.alias(), all, laptop, Recommendation.Limits.forHardware(laptop));
      assertThat(pick.model()).as(a.alias().name() + ": " + pick.reason()).isPresent();
      assertThat(a.alias().servedBy(pick.model().get())).isTrue();
      assertThat(pick.model().get().demo()).isFalse();
    }
  }

  @Test
  void aMissingBundledManifestIsReportedAsAnIncompleteBuild() {
    assertThatThrownBy(() -> BuiltinCatalog.load(path -> path.equals(PHRASEBOOK) ? Optional.empty() : classPath(path)))
        .isInstanceOf(CatalogUnusableException.class)
        .hasMessage("the built-in catalog (soko/catalog/builtin.json): invalid catalog at /bundled/1:"
            + " no model \"demo-phrasebook\" is shipped inside this Soko; this build is incomplete");
  }

  @Test
  void aDamagedBundledManifestNamesItsFile() {
    assertThatThrownBy(() -> BuiltinCatalog.load(path -> path.equals(PHRASEBOOK)
            ? Optional.of(Fixtures.utf8("{\"schemaVersion\":1}")) : classPath(path)))
        .isInstanceOf(CatalogUnusableException.class)
        .hasMessage("the built-in catalog (soko/catalog/builtin.json): invalid catalog at /bundled/1:"
            + " soko/bundled/demo-phrasebook/manifest.json: invalid manifest at /name: is missing; it is required");
  }
}
