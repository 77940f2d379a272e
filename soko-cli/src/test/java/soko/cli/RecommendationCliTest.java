package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.app.Bytes;
import soko.catalog.BuiltinCatalog;
import soko.catalog.Catalogs;
import soko.catalog.Hardware;
import soko.catalog.ModelFacts;
import soko.catalog.Recommendation;
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
import soko.testkit.nginx.Nginx;
import soko.verification.Hashing;
import soko.testkit.RequiredTool;

/**
 * {@code soko pull ALIAS} installs the model recommended for the computer and says why; {@code
 * --model} overrides it; {@code soko catalog} marks the recommendations; a non-commercial model
 * needs {@code --accept-license}. The computer is described ({@link Cli#runOn}) rather than probed,
 * so the expected picks do not depend on the machine the tests run on.
 */
class RecommendationCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Machine TWO_CORES_12_GIB = machine(2, 12L << 30);
  static final Machine EIGHT_CORES_64_GIB = machine(8, 64L << 30);
  static Catalogs builtin;

  @TempDir
  Path dir;

  @BeforeAll
  static void load() throws Exception {
    builtin = Catalogs.of(BuiltinCatalog.load(), List.of());
  }

  static Machine machine(int cores, long memory) {
    return new Machine("Linux", "6.1", "amd64", "Test CPU", cores, memory, List.of("avx2", "fma"), List.of(), "Test 25");
  }

  static Hardware hardware(Machine m) {
    return Hardware.of(m.cores(), m.memoryBytes(), m.cpuFeatures());
  }

  /** What the catalog's own rule recommends for {@code alias} on {@code m}. */
  static Recommendation.Pick expected(String alias, Machine m) {
    Hardware hw = hardware(m);
    return Recommendation.pick(builtin.alias(alias).orElseThrow(), builtin, hw, Recommendation.Limits.forHardware(hw));
  }

  static Manifest model(String name) {
    return builtin.model(new ModelName(name)).orElseThrow();
  }

  Cli cli() {
    return new Cli(dir.resolve("home"));
  }

  // ---------------------------------------------------------------- the issue's "done when"

  @Test
  void onAFreshHomeOfflinePullOfJaEnAndKoEnFailsWithExit4NamingARealTranslationModelItsSizeAndLicence() throws Exception {
    Cli cli = cli();
    for (String alias : List.of("ja-en", "ko-en")) {
      Cli.Result json = cli.run("--offline", "pull", alias, "--json");
      Cli.Result text = cli.run("--offline", "pull", alias);

      assertThat(json.code()).as(json.toString()).isEqualTo(4);
      JsonNode out = JSON.readTree(json.out());
      assertThat(out.at("/error/type").asText()).isEqualTo("consent");
      JsonNode rec = out.get("recommendation");
      Manifest m = model(rec.get("model").asText());
      assertThat(m.name().value()).isEqualTo("m2m100-418m");
      assertThat(m.demo()).isFalse();
      assertThat(builtin.alias(alias).orElseThrow().servedBy(m)).isTrue();
      assertThat(rec.get("alias").asText()).isEqualTo(alias);
      assertThat(rec.get("size").asLong()).isEqualTo(m.totalSize());
      assertThat(rec.get("license").asText()).isEqualTo(m.license().spdx()).isEqualTo("MIT");
      assertThat(out.at("/error/message").asText()).startsWith("offline: " + m.id() + " needs a download of "
          + Bytes.human(m.totalSize()) + " from huggingface.co");

      assertThat(text.code()).as(text.toString()).isEqualTo(4);
      assertThat(text.err()).startsWith(alias + ": m2m100-418m 1.0.0 (" + Bytes.human(m.totalSize()) + ", MIT) — ")
          .contains("soko: offline: m2m100-418m@1.0.0 needs a download of " + Bytes.human(m.totalSize()));
    }
    assertThat(JSON.readTree(cli.run("list", "--json").out()).get("models")).isEmpty();
  }

  // ---------------------------------------------------------------- the pick

  @Test
  void pullPicksTheModelForThisComputerAndSaysWhyOnStderr() throws Exception {
    Cli cli = cli();
    Recommendation.Pick small = expected("ja-asr", TWO_CORES_12_GIB);
    Recommendation.Pick big = expected("ja-asr", EIGHT_CORES_64_GIB);
    assertThat(small.model().map(m -> m.name().value())).contains("whisper-small-q5_1");
    assertThat(big.model().map(m -> m.name().value())).contains("kotoba-whisper-v2.0-q5_0");

    Cli.Result onSmall = cli.runOn(TWO_CORES_12_GIB, "--offline", "pull", "ja-asr");
    Cli.Result onBig = cli.runOn(EIGHT_CORES_64_GIB, "--offline", "pull", "ja-asr");
    Cli.Result json = cli.runOn(TWO_CORES_12_GIB, "--offline", "pull", "ja-asr", "--json");

    assertThat(onSmall.code()).as(onSmall.toString()).isEqualTo(4);
    assertThat(onSmall.err().lines().toList()).containsExactly(
        "ja-asr: whisper-small-q5_1 1.0.0 (" + Bytes.human(model("whisper-small-q5_1").totalSize()) + ", MIT) —"
            + " best Japanese accuracy that fits 6 GiB and 2 cores; about 0.45× real time",
        "soko: offline: whisper-small-q5_1@1.0.0 needs a download of " + Bytes.human(model("whisper-small-q5_1").totalSize())
            + " from huggingface.co; run without --offline (and unset SOKO_OFFLINE), or install from a manifest whose"
            + " sources are local files");
    assertThat(onBig.err()).startsWith("ja-asr: kotoba-whisper-v2.0-q5_0 1.0.0 (")
        .contains(" — " + big.reason().substring("kotoba-whisper-v2.0-q5_0: ".length()) + "\n");
    JsonNode rec = JSON.readTree(json.out()).get("recommendation");
    assertThat(rec.get("chosen").asText()).isEqualTo("recommended");
    assertThat(rec.get("reason").asText()).isEqualTo(small.reason());
    assertThat(rec.at("/hardware/cores").asInt()).isEqualTo(2);
    assertThat(rec.at("/limits/memoryBudget").asLong()).isEqualTo(6L << 30);
    List<String> estimated = new ArrayList<>();
    rec.get("estimates").forEach(e -> estimated.add(e.get("model").asText()));
    assertThat(estimated).containsExactlyElementsOf(small.estimates().stream().map(e -> e.model().name().value()).toList());
    assertThat(rec.get("estimates")).filteredOn(e -> e.get("model").asText().equals("whisper-small-q5_1"))
        .singleElement().satisfies(e -> {
          assertThat(e.get("fits").asBoolean()).isTrue();
          assertThat(e.get("quality").get("metric").asText()).isEqualTo("cer");
        });
  }

  @Test
  void modelOverridesThePickAndNamesTheCandidatesWhenItCannot() throws Exception {
    Cli cli = cli();

    Cli.Result tiny = cli.runOn(TWO_CORES_12_GIB, "--offline", "pull", "ja-asr", "--model", "whisper-tiny");
    Cli.Result wrong = cli.runOn(TWO_CORES_12_GIB, "pull", "ko-asr", "--model", "kotoba-whisper-v2.0-q5_0");
    Cli.Result notAnAlias = cli.runOn(TWO_CORES_12_GIB, "pull", "whisper-small", "--model", "whisper-tiny");
    Cli.Result demo = cli.runOn(TWO_CORES_12_GIB, "install", "ja-en", "--model", "demo-phrasebook");

    assertThat(tiny.code()).as(tiny.toString()).isEqualTo(4);
    assertThat(tiny.err()).startsWith("ja-asr: whisper-tiny 1.1.0 (" + Bytes.human(model("whisper-tiny").totalSize())
        + ", MIT) — named with --model; the recommendation for this computer is whisper-small-q5_1\n")
        .contains("soko: offline: whisper-tiny@1.1.0 needs a download");
    assertThat(wrong.code()).as(wrong.toString()).isEqualTo(1);
    assertThat(wrong.err()).isEqualTo("soko: --model kotoba-whisper-v2.0-q5_0 is not a candidate of ko-asr (asr ko); the"
        + " candidates you can pull: whisper-large-v3-turbo-q5_0, whisper-large-v3-q5_0, whisper-medium-q5_0,"
        + " whisper-small-q5_1, whisper-small, whisper-base-q5_1, whisper-base, whisper-tiny-q5_1, whisper-tiny\n");
    assertThat(notAnAlias.code()).isEqualTo(1);
    assertThat(notAnAlias.err()).startsWith("soko: --model chooses among the candidates of an alias, and \"whisper-small\""
        + " is no alias");
    assertThat(demo.code()).as(demo.toString()).isZero();
    assertThat(demo.err()).startsWith("ja-en: demo-phrasebook ").contains("— named with --model; the recommendation for"
        + " this computer is m2m100-418m");
    assertThat(demo.out()).startsWith("installed demo-phrasebook@");
    assertThat(JSON.readTree(cli.run("list", "--json").out()).get("models")).extracting(m -> m.get("name").asText())
        .containsExactly("demo-phrasebook");
  }

  @Test
  void pullHelpSaysThatRunningUsesTheInstalledCandidate() {
    Cli.Result help = cli().run("pull", "--help");

    assertThat(help.out().replaceAll("\\s+", " ")).contains("installs the model recommended for this computer")
        .contains("an alias then uses its first installed candidate").contains("--model=NAME")
        .contains("--accept-license=SPDX-ID");
  }

  // ---------------------------------------------------------------- soko catalog

  @Test
  void catalogMarksTheRecommendationForEachAliasWithItsReason() throws Exception {
    Cli cli = cli();

    JsonNode small = JSON.readTree(cli.runOn(TWO_CORES_12_GIB, "catalog", "--json").out());
    JsonNode big = JSON.readTree(cli.runOn(EIGHT_CORES_64_GIB, "catalog", "--json").out());
    Cli.Result text = cli.runOn(TWO_CORES_12_GIB, "catalog");

    for (JsonNode a : small.get("aliases")) {
      Recommendation.Pick p = expected(a.get("alias").asText(), TWO_CORES_12_GIB);
      assertThat(a.at("/recommended/model").asText()).as(a.get("alias").asText())
          .isEqualTo(p.model().orElseThrow().name().value());
      assertThat(a.at("/recommended/reason").asText()).isEqualTo(p.reason());
    }
    assertThat(alias(small, "ja-asr").at("/recommended/model").asText()).isEqualTo("whisper-small-q5_1");
    assertThat(alias(big, "ja-asr").at("/recommended/model").asText()).isEqualTo("kotoba-whisper-v2.0-q5_0");
    assertThat(catalogModel(small, "whisper-small-q5_1").get("recommendedFor")).extracting(r -> r.get("alias").asText())
        .contains("ja-asr", "ko-asr");
    JsonNode nllb = catalogModel(small, "nllb-200-distilled-600m");
    assertThat(nllb.get("nonCommercial").asBoolean()).isTrue();
    assertThat(nllb.get("recommendedFor")).isEmpty();
    assertThat(catalogModel(small, "demo-phrasebook").get("recommendedFor")).isEmpty();

    assertThat(text.out().lines().filter(l -> l.startsWith("whisper-small-q5_1 "))).singleElement().asString()
        .contains("* recommended: ja-asr,");
    assertThat(text.out().lines().filter(l -> l.startsWith("nllb-200-distilled-600m "))).singleElement().asString()
        .contains("NON-COMMERCIAL").doesNotContain("recommended");
    assertThat(text.out()).contains("Recommended for this computer (2 cores, " + Bytes.human(12L << 30) + ";")
        .contains("  ja-asr: " + expected("ja-asr", TWO_CORES_12_GIB).reason() + "\n");
  }

  static JsonNode alias(JsonNode catalog, String name) {
    for (JsonNode a : catalog.get("aliases")) {
      if (a.get("alias").asText().equals(name)) {
        return a;
      }
    }
    throw new AssertionError("no alias " + name);
  }

  static JsonNode catalogModel(JsonNode catalog, String name) {
    for (JsonNode m : catalog.get("models")) {
      if (m.get("name").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no model " + name);
  }

  // ---------------------------------------------------------------- non-commercial licences

  @Test
  void theBuiltinNllbNeedsItsLicenceAcceptedByNameBeforeAnythingElse() {
    Cli cli = cli();
    Manifest nllb = model("nllb-200-distilled-600m");

    Cli.Result yesOnly = cli.run("--offline", "pull", "nllb-200-distilled-600m", "--yes");
    Cli.Result accepted = cli.run("--offline", "pull", "nllb-200-distilled-600m", "--yes", "--accept-license",
        "CC-BY-NC-4.0");

    assertThat(yesOnly.code()).isEqualTo(4);
    assertThat(yesOnly.err()).isEqualTo("soko: nllb-200-distilled-600m@1.0.0 is licensed CC-BY-NC-4.0, for"
        + " non-commercial use only (https://creativecommons.org/licenses/by-nc/4.0/): to install it, accept that licence"
        + " by name with --accept-license CC-BY-NC-4.0 (--yes alone is not enough)\n");
    assertThat(accepted.code()).isEqualTo(4);
    assertThat(accepted.err()).startsWith("soko: offline: nllb-200-distilled-600m@1.0.0 needs a download of "
        + Bytes.human(nllb.totalSize()));
  }

  @Test
  void aNonCommercialModelFromASignedCatalogInstallsOnlyWithAcceptLicenseAndYes() throws Exception {
    RequiredTool.require(Nginx.unavailableReason());
    try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
      byte[] bytes = "a tiny model whose licence forbids commercial use\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Files.write(nginx.root().resolve("nc.bin"), bytes);
      Manifest nc = new Manifest(ModelName.parse("nc-test"), Version.parse("1.0.0"), "test model served by nginx",
          List.of(TaskSpec.translate(Language.JA, Language.EN)), new EngineRequirement("soko-phrasebook", VersionRange.ANY),
          new License("CC-BY-NC-4.0", URI.create("https://creativecommons.org/licenses/by-nc/4.0/"), "Test, non-commercial."),
          List.of(new ModelFile(RelativePath.parse("nc.bin"), bytes.length, Hashing.sha256(bytes),
              List.of(new SourceUri(nginx.uri("/nc.bin"))))), false,
          Map.of(ModelFacts.LICENSE_RESTRICTION, ModelFacts.NON_COMMERCIAL));
      Cli cli = cli();
      publishCatalog(cli, List.of(nc));
      String licence = "soko: nc-test@1.0.0 is licensed CC-BY-NC-4.0, for non-commercial use only"
          + " (https://creativecommons.org/licenses/by-nc/4.0/): to install it, accept that licence by name with"
          + " --accept-license CC-BY-NC-4.0 (--yes alone is not enough)\n";

      Cli.Result yesOnly = cli.run("pull", "nc-test", "--yes");
      Cli.Result otherLicence = cli.run("pull", "nc-test", "--yes", "--accept-license", "CC-BY-4.0");
      Cli.Result noYes = cli.run("pull", "nc-test", "--accept-license", "CC-BY-NC-4.0");

      assertThat(yesOnly.code()).isEqualTo(4);
      assertThat(yesOnly.err()).isEqualTo(licence);
      assertThat(otherLicence.code()).isEqualTo(4);
      assertThat(otherLicence.err()).isEqualTo(licence);
      assertThat(noYes.code()).isEqualTo(4);
      assertThat(noYes.err()).contains("licence CC-BY-NC-4.0 (non-commercial use only)); run again with --yes");
      assertThat(nginx.accessLog()).as("nothing fetched before the licence is accepted and the download approved").isEmpty();

      Cli.Result pulled = cli.run("pull", "nc-test", "--yes", "--accept-license", "CC-BY-NC-4.0", "--json");

      assertThat(pulled.code()).as(pulled.toString()).isZero();
      assertThat(JSON.readTree(pulled.out().lines().reduce((a, b) -> b).orElseThrow()).get("name").asText())
          .isEqualTo("nc-test");
      assertThat(nginx.accessLog()).singleElement().satisfies(e -> assertThat(e.bodyBytesSent()).isEqualTo(bytes.length));
      assertThat(cli.run("verify", "nc-test", "--full").code()).isZero();
    }
  }

  /** Publishes a signed catalog with {@code models} (no aliases) and has {@code cli}'s home trust and fetch it. */
  void publishCatalog(Cli cli, List<Manifest> models) throws Exception {
    SignedCatalog.publish(cli, dir, "test.nc", models, Optional.empty());
  }
}
