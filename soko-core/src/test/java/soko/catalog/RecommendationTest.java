package soko.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.manifest.ModelName;
import soko.manifest.TaskSpec;

/**
 * The pick for this computer, on the built-in catalog. The expected picks follow from the rule in
 * {@link Recommendation}'s documentation: the real-time factors below were worked out from its
 * formula by hand (small: 0.45 on 2 AVX2 cores, 0.18 on 8; medium 1.5 and 0.60; Kotoba-Whisper 2.4
 * and 0.98; large-v3-turbo 2.4 and 0.99; large-v3 3.0 and 1.2), the memory needs from file sizes
 * and whisper.cpp's README (small-q5_1 0.69 GB, base-q5_1 0.43 GB, base 0.52 GB).
 */
class RecommendationTest {
  private static Catalogs catalogs;

  private static final Hardware TWO_CORES_4_GIB = Hardware.of(2, 4L << 30, List.of("sse4_2", "avx2"));
  private static final Hardware TWO_CORES_24_GIB = Hardware.of(2, 24L << 30, List.of("avx2"));
  private static final Hardware EIGHT_CORES_AVX512_64_GIB = Hardware.of(8, 64L << 30, List.of("avx2", "avx512f"));
  private static final Hardware ONE_CORE_1_GIB = Hardware.of(1, 1L << 30, List.of("avx2"));
  private static final Hardware ONE_OLD_CORE_4_GIB = Hardware.of(1, 4L << 30, List.of("sse2"));

  @BeforeAll
  static void load() throws Exception {
    catalogs = Catalogs.of(BuiltinCatalog.load(), List.of());
  }

  private static Recommendation.Pick pick(String alias, Hardware hw) {
    return Recommendation.pick(catalogs.alias(alias).orElseThrow(), catalogs, hw, Recommendation.Limits.forHardware(hw));
  }

  private static Recommendation.Pick pick(String alias, Hardware hw, Recommendation.Limits limits) {
    return Recommendation.pick(catalogs.alias(alias).orElseThrow(), catalogs, hw, limits);
  }

  private static String name(Recommendation.Pick p) {
    return p.model().map(m -> m.name().value()).orElse("(none)");
  }

  @Test
  void twoCoresAnd4GibGetTheBestJapaneseModelThatKeepsPace() {
    Recommendation.Pick p = pick("ja-asr", TWO_CORES_4_GIB);

    // medium (CER 10% on JSUT) would need 1.5× real time on two cores; small-q5_1 ties with
    // whisper-small on accuracy and needs less memory.
    assertThat(name(p)).isEqualTo("whisper-small-q5_1");
    assertThat(p.reason()).isEqualTo(
        "whisper-small-q5_1: best Japanese accuracy that fits 2 GiB and 2 cores; about 0.45× real time");
  }

  @Test
  void moreMemoryDoesNotBuySpeedOnTwoCores() {
    Recommendation.Pick p = pick("ja-asr", TWO_CORES_24_GIB);

    assertThat(name(p)).isEqualTo("whisper-small-q5_1");
    assertThat(p.reason()).isEqualTo(
        "whisper-small-q5_1: best Japanese accuracy that fits 12 GiB and 2 cores; about 0.45× real time");
  }

  @Test
  void eightCoresGetKotobaWhisperForJapanese() {
    Recommendation.Pick p = pick("ja-asr", EIGHT_CORES_AVX512_64_GIB);

    // large-v3 (JSUT 7.1 but CommonVoice 8.5 and ReazonSpeech 14.9) averages worse than Kotoba-Whisper
    // and would need 1.2× real time anyway.
    assertThat(name(p)).isEqualTo("kotoba-whisper-v2.0-q5_0");
    assertThat(p.reason()).isEqualTo(
        "kotoba-whisper-v2.0-q5_0: best Japanese accuracy that fits 32 GiB and 8 cores; about 0.98× real time");
  }

  @Test
  void eightCoresGetLargeV3TurboForKorean() {
    Recommendation.Pick p = pick("ko-asr", EIGHT_CORES_AVX512_64_GIB);

    assertThat(name(p)).isEqualTo("whisper-large-v3-turbo-q5_0");
    assertThat(p.reason()).isEqualTo(
        "whisper-large-v3-turbo-q5_0: best Korean accuracy that fits 32 GiB and 8 cores; about 0.99× real time");
  }

  @Test
  void withoutPublishedFiguresTheLargestModelThatFitsWins() {
    Recommendation.Pick korean = pick("ko-asr", TWO_CORES_4_GIB);
    Recommendation.Pick speech = pick("ja-en-speech", EIGHT_CORES_AVX512_64_GIB);

    assertThat(korean.reason()).isEqualTo("whisper-small-q5_1: the largest Korean speech recognition model that fits"
        + " 2 GiB and 2 cores (no published figures to compare); about 0.45× real time");
    assertThat(speech.reason()).isEqualTo("whisper-medium-q5_0: the largest Japanese→English speech translation model"
        + " that fits 32 GiB and 8 cores (no published figures to compare); about 0.6× real time");
  }

  @Test
  void speechTranslationNeverPicksAModelTrainedWithoutTranslation() {
    for (Hardware hw : List.of(TWO_CORES_4_GIB, TWO_CORES_24_GIB, EIGHT_CORES_AVX512_64_GIB)) {
      for (String alias : List.of("ja-en-speech", "ko-en-speech")) {
        assertThat(pick(alias, hw).estimates()).extracting(e -> e.model().name().value())
            .doesNotContain("whisper-large-v3-turbo-q5_0", "kotoba-whisper-v2.0-q5_0");
      }
    }
  }

  @Test
  void aSmallMemoryBudgetRulesOutTheModelsWithFigures() {
    Recommendation.Pick p = pick("ja-asr", ONE_CORE_1_GIB);

    // Half of 1 GiB: small-q5_1 needs about 0.69 GB; base and base-q5_1 fit, base-q5_1 with less memory.
    assertThat(p.reason()).isEqualTo("whisper-base-q5_1: the largest Japanese speech recognition model that fits"
        + " 512 MiB and 1 core (no published figures to compare); about 0.21× real time");
  }

  @Test
  void aCpuWithoutVectorUnitsIsCountedAThirdAsFast() {
    Recommendation.Pick p = pick("ja-asr", ONE_OLD_CORE_4_GIB);

    assertThat(p.reason()).isEqualTo("whisper-base-q5_1: the largest Japanese speech recognition model that fits"
        + " 2 GiB and 1 core (no published figures to compare); about 0.62× real time");
  }

  @Test
  void whenNothingKeepsPaceTheFastestThatFitsIsPickedAndSaidSo() {
    Recommendation.Pick p = pick("ko-asr", TWO_CORES_4_GIB, new Recommendation.Limits(2L << 30, 0.05));

    assertThat(p.reason()).isEqualTo("whisper-tiny-q5_1: no Korean speech recognition model runs within 0.05× real"
        + " time within 2 GiB and 2 cores; this is the fastest; about 0.052× real time");
  }

  @Test
  void whenNothingFitsInMemoryThereIsNoPickAndTheSmallestNeedIsNamed() {
    Recommendation.Pick p = pick("ja-asr", TWO_CORES_4_GIB, new Recommendation.Limits(256L << 20, 1.0));

    assertThat(p.model()).isEmpty();
    assertThat(p.reason()).isEqualTo("no Japanese speech recognition model fits 256 MiB of memory: the smallest,"
        + " whisper-tiny-q5_1, needs about 344 MiB");
  }

  @Test
  void textTranslationPicksTheRealModelNeverTheDemo() {
    Recommendation.Pick ja = pick("ja-en", TWO_CORES_4_GIB);
    Recommendation.Pick ko = pick("ko-en", TWO_CORES_4_GIB);

    assertThat(ja.reason()).isEqualTo("m2m100-418m: the only Japanese→English translation model that can be"
        + " recommended, and it fits 2 GiB and 2 cores");
    assertThat(name(ko)).isEqualTo("m2m100-418m");
    assertThat(ja.estimates()).extracting(e -> e.model().name().value()).containsExactly("m2m100-418m");
  }

  @Test
  void demoModelsAreNeverPickedByThemselves() throws Exception {
    Manifest phrasebook = catalogs.model(new ModelName("demo-phrasebook")).orElseThrow();

    Recommendation.Pick p = Recommendation.pick(TaskSpec.translate(Language.JA, Language.EN), List.of(phrasebook),
        TWO_CORES_4_GIB, Recommendation.Limits.forHardware(TWO_CORES_4_GIB));

    assertThat(p.model()).isEmpty();
    assertThat(p.reason()).isEqualTo("only demo or non-commercial models can do translate ja→en; Soko installs those"
        + " only when named");
  }

  @Test
  void theNonCommercialNllbIsNeverRecommendedEvenWhenOfferedAsACandidate() throws Exception {
    Manifest nllb = catalogs.model(new ModelName("nllb-200-distilled-600m")).orElseThrow();
    Manifest m2m = catalogs.model(new ModelName("m2m100-418m")).orElseThrow();
    TaskSpec jaEn = TaskSpec.translate(Language.JA, Language.EN);
    Recommendation.Limits roomy = Recommendation.Limits.forHardware(TWO_CORES_24_GIB);

    Recommendation.Pick both = Recommendation.pick(jaEn, List.of(nllb, m2m), TWO_CORES_24_GIB, roomy);
    Recommendation.Pick alone = Recommendation.pick(jaEn, List.of(nllb), TWO_CORES_24_GIB, roomy);

    assertThat(name(both)).isEqualTo("m2m100-418m");
    assertThat(both.estimates()).extracting(e -> e.model().name().value()).containsExactly("m2m100-418m");
    assertThat(alone.model()).isEmpty();
    assertThat(alone.reason()).startsWith("only demo or non-commercial models can do translate ja→en");
  }

  @Test
  void theSpeedEstimateAgreesWithTheMeasurementItWasNotFittedTo() {
    // whisper.cpp 1.9.4, ggml-base.bin, 4 AVX2 threads, 74.56 s of audio: 5.95 s and 6.33 s
    // (cialightiluminacao/cialight-gravador docs/research/2026-10-03-whisper-spike.md).
    Manifest base = catalogs.model(new ModelName("whisper-base")).orElseThrow();
    double measured = (5.95 + 6.33) / 2 / 74.56;

    double estimated = Recommendation.realTimeFactor(base, Hardware.of(4, 16L << 30, List.of("avx2"))).orElseThrow();

    assertThat(estimated).isCloseTo(measured, within(measured * 0.25));
  }

  @Test
  void memoryNeedsFollowTheFileAndTheModelsWidth() {
    Manifest tiny = catalogs.model(new ModelName("whisper-tiny")).orElseThrow();
    Manifest large = catalogs.model(new ModelName("whisper-large-v3-q5_0")).orElseThrow();

    // whisper.cpp's README: tiny takes about 273 MB of memory, large about 3.9 GB at 2.9 GiB of file;
    // here plus the child JVM.
    assertThat(Recommendation.memoryNeed(tiny)).isEqualTo(77_691_713L + 194_000_000L + (128L << 20));
    assertThat(Recommendation.memoryNeed(large)).isEqualTo(1_081_140_203L + 786_000_000L + (128L << 20));
  }
}
