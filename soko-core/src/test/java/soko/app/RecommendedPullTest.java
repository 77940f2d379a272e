package soko.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.catalog.Hardware;
import soko.catalog.ModelFacts;
import soko.catalog.Recommendation;
import soko.events.ProgressListener;
import soko.inventory.Machine;
import soko.manifest.EngineRequirement;
import soko.manifest.Language;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.verification.Hashing;

/**
 * Pulling an alias installs what {@link Recommendation#pick} recommends for the computer {@link
 * Soko} was opened for; {@code --model} picks another candidate; a non-commercial model installs
 * only with its licence accepted by name. Offline throughout: no test here can reach a network.
 */
class RecommendedPullTest {
  private static final Machine TWO_CORES_12_GIB = machine(2, 12L << 30);
  private static final Machine EIGHT_CORES_64_GIB = machine(8, 64L << 30);

  @TempDir
  Path dir;

  static Machine machine(int cores, long memory) {
    return new Machine("Linux", "6.1", "amd64", "Test CPU", cores, memory, List.of("avx2", "fma"), List.of(), "Test 25");
  }

  private Soko soko(Machine m) throws Exception {
    Settings s = Settings.resolve(Map.of(), new Properties(), Optional.of(dir.resolve("home")), Optional.empty(), true);
    return Soko.open(s, Clock.systemUTC(), new Properties(), m);
  }

  private static String name(Manifest m) {
    return m.name().value();
  }

  @Test
  void theMachineGivenIsTheOneRecommendationsAreFor() throws Exception {
    Soko small = soko(TWO_CORES_12_GIB);

    assertThat(small.machine()).isEqualTo(TWO_CORES_12_GIB);
    assertThat(small.hardware()).isEqualTo(Hardware.of(2, 12L << 30, List.of("avx2", "fma")));
  }

  @Test
  void pullingAnAliasResolvesToTheRecommendationForThisComputer() throws Exception {
    Soko small = soko(TWO_CORES_12_GIB);
    Soko big = soko(EIGHT_CORES_64_GIB);
    Hardware smallHw = small.hardware();
    Recommendation.Pick expected = Recommendation.pick(small.catalogs().alias("ja-asr").orElseThrow(), small.catalogs(),
        smallHw, Recommendation.Limits.forHardware(smallHw));

    AliasChoice onSmall = small.chooseForPull("ja-asr", Optional.empty()).orElseThrow();

    assertThat(onSmall.how()).isEqualTo(AliasChoice.How.RECOMMENDED);
    assertThat(onSmall.manifest()).isEqualTo(expected.model().orElseThrow());
    assertThat(name(onSmall.manifest())).isEqualTo("whisper-small-q5_1");
    assertThat(small.resolve("ja-asr").manifest()).isEqualTo(onSmall.manifest());
    assertThat(small.recommend("ja-asr").orElseThrow().reason()).isEqualTo(expected.reason());
    assertThat(onSmall.describe()).isEqualTo("ja-asr: whisper-small-q5_1 1.0.0 (" + Bytes.human(190085487)
        + ", MIT) — best Japanese accuracy that fits 6 GiB and 2 cores; about 0.45× real time");
    // Eight cores keep pace with Kotoba-Whisper, the best Japanese accuracy of the catalog's candidates.
    assertThat(name(big.resolve("ja-asr").manifest())).isEqualTo("kotoba-whisper-v2.0-q5_0");
    assertThat(small.recommend("whisper-small")).isEmpty();
  }

  @Test
  void aModelNamedWithModelOverridesThePickAndMustBeAUsableCandidate() throws Exception {
    Soko small = soko(TWO_CORES_12_GIB);

    AliasChoice named = small.chooseForPull("ja-asr", Optional.of("whisper-tiny")).orElseThrow();

    assertThat(named.how()).isEqualTo(AliasChoice.How.NAMED);
    assertThat(name(named.manifest())).isEqualTo("whisper-tiny");
    assertThat(named.recommended().map(RecommendedPullTest::name)).contains("whisper-small-q5_1");
    assertThat(named.describe()).endsWith("— named with --model; the recommendation for this computer is"
        + " whisper-small-q5_1");
    assertThatThrownBy(() -> small.chooseForPull("ko-asr", Optional.of("kotoba-whisper-v2.0-q5_0")))
        .isInstanceOf(UnknownModelException.class)
        .hasMessage("--model kotoba-whisper-v2.0-q5_0 is not a candidate of ko-asr (asr ko); the candidates you can"
            + " pull: whisper-large-v3-turbo-q5_0, whisper-large-v3-q5_0, whisper-medium-q5_0, whisper-small-q5_1,"
            + " whisper-small, whisper-base-q5_1, whisper-base, whisper-tiny-q5_1, whisper-tiny");
    assertThatThrownBy(() -> small.chooseForPull("ja-en", Optional.of("opus-mt-ja-en")))
        .isInstanceOf(UnknownModelException.class)
        .hasMessage("--model opus-mt-ja-en is a candidate of ja-en that no catalog lists (translate ja→en); the"
            + " candidates you can pull: m2m100-418m, demo-phrasebook");
    assertThatThrownBy(() -> small.chooseForPull("whisper-small", Optional.of("whisper-tiny")))
        .isInstanceOf(UnknownModelException.class)
        .hasMessageStartingWith("--model chooses among the candidates of an alias, and \"whisper-small\" is no alias");
    assertThat(small.chooseForPull("whisper-small", Optional.empty())).isEmpty();
  }

  @Test
  void aDemoModelIsInstalledThroughAnAliasOnlyWhenNamed() throws Exception {
    Soko small = soko(TWO_CORES_12_GIB);

    assertThat(name(small.resolve("ja-en").manifest())).isEqualTo("m2m100-418m");
    AliasChoice demo = small.chooseForPull("ja-en", Optional.of("demo-phrasebook")).orElseThrow();
    assertThat(demo.manifest().demo()).isTrue();
    assertThat(small.install(demo.manifest(), "bundled").model().manifest().name().value()).isEqualTo("demo-phrasebook");
  }

  /** A one-file model on this disk, under a non-commercial licence. */
  private Manifest nonCommercialLocal(String name) throws Exception {
    byte[] content = "a tiny non-commercial test model\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path file = Files.createDirectories(dir.resolve("files")).resolve(name + ".bin");
    Files.write(file, content);
    return new Manifest(ModelName.parse(name), Version.parse("1.0.0"), "a local test model", List.of(
        TaskSpec.translate(Language.JA, Language.EN)), new EngineRequirement("soko-phrasebook", VersionRange.ANY),
        new License("CC-BY-NC-4.0", URI.create("https://creativecommons.org/licenses/by-nc/4.0/"), "Test, non-commercial."),
        List.of(new ModelFile(RelativePath.parse("data.bin"), content.length, Hashing.sha256(content),
            List.of(new SourceUri(file.toUri())))), false, Map.of());
  }

  @Test
  void aNonCommercialModelInstallsOnlyWithItsLicenceAcceptedByNameEvenFromLocalFiles() throws Exception {
    Soko s = soko(TWO_CORES_12_GIB);
    Manifest nc = nonCommercialLocal("nc-local");
    assertThat(ModelFacts.nonCommercial(nc)).isTrue();

    assertThatThrownBy(() -> s.install(nc, "file:test", Consent.APPROVE, ProgressListener.NONE))
        .isInstanceOf(ConsentRequiredException.class)
        .hasMessage("nc-local@1.0.0 is licensed CC-BY-NC-4.0, for non-commercial use only"
            + " (https://creativecommons.org/licenses/by-nc/4.0/): to install it, accept that licence by name with"
            + " --accept-license CC-BY-NC-4.0 (--yes alone is not enough)");
    assertThatThrownBy(() -> s.install(nc, "file:test", Consent.APPROVE.acceptingLicenses(Set.of("CC-BY-4.0")),
        ProgressListener.NONE)).isInstanceOf(ConsentRequiredException.class);
    assertThat(s.list()).isEmpty();

    Soko.InstallResult r = s.install(nc, "file:test", Consent.REFUSE.acceptingLicenses(Set.of("cc-by-nc-4.0")),
        ProgressListener.NONE);

    assertThat(r.model().manifest()).isEqualTo(nc);
    assertThat(s.isVerified("nc-local")).isTrue();
  }

  @Test
  void theDownloadPlanOfANonCommercialModelSaysSo() throws Exception {
    Soko s = soko(TWO_CORES_12_GIB);

    DownloadPlan nllb = s.plan("nllb-200-distilled-600m");
    DownloadPlan m2m = s.plan("m2m100-418m");

    assertThat(nllb.nonCommercial()).isTrue();
    assertThat(nllb.summary()).endsWith("licence CC-BY-NC-4.0 (non-commercial use only)");
    assertThat(m2m.nonCommercial()).isFalse();
    assertThat(m2m.summary()).endsWith("licence MIT");
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(Reports.planJson(nllb)).get("nonCommercial")
        .asBoolean()).isTrue();
  }

  @Test
  void acceptingLicencesKeepsTheConsentsAnswer() {
    Consent refusing = Consent.REFUSE.acceptingLicenses(Set.of(" CC-BY-NC-4.0 "));
    Consent approving = Consent.APPROVE.acceptingLicenses(Set.of("CC-BY-NC-SA-4.0")).acceptingLicenses(Set.of("MIT"));

    assertThat(refusing.accepts("cc-by-nc-4.0")).isTrue();
    assertThat(refusing.accepts("CC-BY-NC-SA-4.0")).isFalse();
    assertThat(approving.acceptedLicenses()).containsExactlyInAnyOrder("cc-by-nc-sa-4.0", "mit");
    assertThat(Consent.APPROVE.acceptedLicenses()).isEmpty();
  }
}
