package soko.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static soko.catalog.Fixtures.ASR_JA;
import static soko.catalog.Fixtures.ASR_JA_KO;
import static soko.catalog.Fixtures.MT_JA_EN;
import static soko.catalog.Fixtures.VAD;
import static soko.catalog.Fixtures.catalog;
import static soko.catalog.Fixtures.manifest;
import static soko.catalog.Fixtures.utf8;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import soko.manifest.Language;
import soko.manifest.ModelName;
import soko.manifest.TaskSpec;

class CatalogCodecTest {
  private static final String EXPIRES = "2026-09-01T09:00:00+09:00";

  private static Catalog parse(String json) throws CatalogUnusableException {
    return CatalogCodec.parse(utf8(json), "cat.json");
  }

  private static void assertRefused(String json, String message) {
    assertThatThrownBy(() -> parse(json)).isInstanceOf(CatalogUnusableException.class).hasMessage(message);
  }

  @Test
  void readsIdVersionExpiryModelsAndAliases() throws Exception {
    Catalog c = parse(catalog("example.models", 7, EXPIRES,
        manifest("m-asr", "1.0.0", ASR_JA_KO) + "," + manifest("m-mt", "2.0.0", MT_JA_EN) + "," + manifest("m-vad", "1.0.0", VAD),
        """
        "ko-asr": {"task":"asr","language":"ko","candidates":["m-asr"]},
        "ja-en": {"task":"translate","from":"ja","to":"en","candidates":["opus-mt-ja-en","m-mt"]},
        "vad": {"task":"vad","candidates":["m-vad"]}
        """));

    assertThat(c.id()).isEqualTo("example.models");
    assertThat(c.version()).isEqualTo(7);
    assertThat(c.expires()).contains(Instant.parse("2026-09-01T00:00:00Z"));
    assertThat(c.models()).extracting(m -> m.name().value()).containsExactly("m-asr", "m-mt", "m-vad");
    assertThat(c.aliases()).containsExactly(
        Alias.asr("ko-asr", Language.KO, List.of(new ModelName("m-asr"))),
        Alias.translate("ja-en", Language.JA, Language.EN, List.of(new ModelName("opus-mt-ja-en"), new ModelName("m-mt"))),
        Alias.vad("vad", List.of(new ModelName("m-vad"))));
  }

  @Test
  void writtenCatalogParsesBackEqual() throws Exception {
    Catalog c = parse(catalog("example.models", 3, EXPIRES, manifest("m-mt", "2.0.0", MT_JA_EN),
        "\"ja-en\":{\"task\":\"translate\",\"from\":\"ja\",\"to\":\"en\",\"candidates\":[\"m-mt\"]}"));

    assertThat(CatalogCodec.parse(CatalogCodec.write(c), "again")).isEqualTo(c);
  }

  @Test
  void aliasCandidateMissingFromTheCatalogIsAllowedWhenAnotherIsListed() throws Exception {
    Catalog c = parse(catalog("example.models", 1, EXPIRES, manifest("m-mt", "1.0.0", MT_JA_EN),
        "\"ja-en\":{\"task\":\"translate\",\"from\":\"ja\",\"to\":\"en\",\"candidates\":[\"opus-mt-ja-en\",\"m-mt\"]}"));

    assertThat(c.alias("ja-en").orElseThrow().task()).isEqualTo(TaskSpec.translate(Language.JA, Language.EN));
  }

  @Test
  void refusesTheSameModelNameTwice() {
    assertRefused(catalog("example.models", 1, EXPIRES, manifest("m-asr", "1.0.0", ASR_JA) + "," + manifest("m-asr", "2.0.0", ASR_JA), ""),
        "cat.json: invalid catalog at /models/1/name: model \"m-asr\" is listed twice (also at /models/0);"
            + " a catalog lists each model once");
  }

  @Test
  void refusesAnAliasWhoseCandidatesAreAllMissing() {
    assertRefused(catalog("example.models", 1, EXPIRES, manifest("m-asr", "1.0.0", ASR_JA),
            "\"ja-en\":{\"task\":\"translate\",\"from\":\"ja\",\"to\":\"en\",\"candidates\":[\"opus-mt-ja-en\",\"other\"]}"),
        "cat.json: invalid catalog at /aliases/ja-en/candidates: none of opus-mt-ja-en, other is a model in this catalog;"
            + " list at least one candidate under models");
  }

  @Test
  void refusesAModelWithAMalformedWhisperCppAnnotation() {
    String m = manifest("m-asr", "1.0.0", ASR_JA).replace("\"files\"",
        "\"annotations\":{\"whisper.cpp.n_mels\":\"eighty\"},\"files\"");
    assertRefused(catalog("example.models", 1, EXPIRES, m, ""),
        "cat.json: invalid catalog at /models/0/annotations: model \"m-asr\": annotation whisper.cpp.n_mels is"
            + " \"eighty\", not a positive whole number");
  }

  @Test
  void refusesAQualityFigureInAnUnknownMetric() {
    String m = manifest("m-asr", "1.0.0", ASR_JA).replace("\"files\"",
        "\"annotations\":{\"quality.asr.ja.accuracy.jsut\":\"92\"},\"files\"");
    assertRefused(catalog("example.models", 1, EXPIRES, m, ""),
        "cat.json: invalid catalog at /models/0/annotations: model \"m-asr\": annotation quality.asr.ja.accuracy.jsut"
            + " is not a quality figure; spell it quality.TASK.LANGUAGE.METRIC.DATASET with METRIC one of cer, wer,"
            + " comet, bleu, chrf, such as quality.asr.ja.cer.jsut-basic5000");
  }

  @Test
  void refusesAnAliasThatNamesANonCommercialModel() {
    String nc = manifest("nc-mt", "1.0.0", MT_JA_EN).replace("\"files\"",
        "\"annotations\":{\"license.restriction\":\"non-commercial\"},\"files\"");
    assertRefused(catalog("example.models", 1, EXPIRES, nc,
            "\"ja-en\":{\"task\":\"translate\",\"from\":\"ja\",\"to\":\"en\",\"candidates\":[\"nc-mt\"]}"),
        "cat.json: invalid catalog at /aliases/ja-en/candidates/0: model \"nc-mt\" is licensed for non-commercial use"
            + " only (its manifest says license.restriction: non-commercial); such a model is installed only when named, never through an alias");
  }

  @Test
  void refusesAnAliasWhoseModelLacksTheTask() {
    assertRefused(catalog("example.models", 1, EXPIRES, manifest("m-asr", "1.0.0", ASR_JA),
            "\"ko-asr\":{\"task\":\"asr\",\"language\":\"ko\",\"candidates\":[\"m-asr\"]}"),
        "cat.json: invalid catalog at /aliases/ko-asr/candidates/0: model \"m-asr\" does not do asr ko; its tasks are asr ja");
  }

  @Test
  void refusesAnAliasThatIsAlsoAModelName() {
    assertRefused(catalog("example.models", 1, EXPIRES, manifest("m-asr", "1.0.0", ASR_JA),
            "\"m-asr\":{\"task\":\"asr\",\"language\":\"ja\",\"candidates\":[\"m-asr\"]}"),
        "cat.json: invalid catalog at /aliases/m-asr: \"m-asr\" is both a model and an alias; rename the alias");
  }

  @Test
  void refusesLanguageFieldsThatDoNotFitTheAliasTask() {
    assertRefused(catalog("example.models", 1, EXPIRES, manifest("m-asr", "1.0.0", ASR_JA),
            "\"ja-asr\":{\"task\":\"asr\",\"from\":\"ja\",\"candidates\":[\"m-asr\"]}"),
        "cat.json: invalid catalog at /aliases/ja-asr/from: unknown field \"from\"; valid fields here are candidates, language, task");
  }

  @Test
  void publishedCatalogMayNotNameBundledModels() {
    assertRefused("""
        {"schemaVersion":1,"id":"example.models","version":1,"expires":"2026-09-01T00:00:00Z","bundled":["silero-vad"],"models":[]}
        """,
        "cat.json: invalid catalog at /bundled: only the catalog built into Soko may name bundled models;"
            + " list the models' manifests under models");
  }

  @Test
  void publishedCatalogMustExpire() {
    assertRefused("{\"schemaVersion\":1,\"id\":\"example.models\",\"version\":1,\"models\":[]}",
        "cat.json: invalid catalog at /expires: is missing; a published catalog says when it expires, such as \"2026-09-01T00:00:00Z\"");
  }

  @Test
  void expiryIsAnRfc3339TimestampWithSeconds() {
    assertRefused(catalog("example.models", 1, "2026-09-01T00:00Z", "", ""),
        "cat.json: invalid catalog at /expires: \"2026-09-01T00:00Z\" is not an RFC 3339 timestamp;"
            + " expected one such as 2026-09-01T00:00:00Z");
  }

  @Test
  void refusesAVersionBelowOne() {
    assertRefused(catalog("example.models", 0, EXPIRES, "", ""),
        "cat.json: invalid catalog at /version: 0 is out of range; expected a whole number from 1 to 9223372036854775807");
  }

  @Test
  void refusesAnInvalidCatalogId() {
    assertRefused(catalog("Example Models", 1, EXPIRES, "", ""),
        "cat.json: invalid catalog at /id: \"Example Models\" is not valid: a catalog id is 1 to 64 lower-case letters,"
            + " digits, '.', '_' or '-', starting with a letter or digit, such as example.models");
  }

  @Test
  void reportsTheJsonPointerOfABadManifestField() {
    assertRefused(catalog("example.models", 1, EXPIRES, manifest("m-asr", "1.0.0", ASR_JA) + "," + manifest("Bad Name", "1.0.0", ASR_JA), ""),
        "cat.json: invalid catalog at /models/1/name: \"Bad Name\" is not valid: a model name is 1 to 64 lower-case letters,"
            + " digits, '.', '_' or '-', starting with a letter or digit, such as whisper-base; expected a lower-case id such as whisper-base");
  }

  @Test
  void hostileWrongTypesAreRefusedWithTheirPointer() {
    assertRefused("{\"schemaVersion\":1,\"id\":\"example.models\",\"version\":\"7\",\"expires\":\"2026-09-01T00:00:00Z\",\"models\":[]}",
        "cat.json: invalid catalog at /version: expected a whole number from 1 to 9223372036854775807, found a string");
    assertRefused("{\"schemaVersion\":1,\"id\":\"example.models\",\"version\":7,\"expires\":\"2026-09-01T00:00:00Z\",\"models\":{}}",
        "cat.json: invalid catalog at /models: expected an array, found an object");
    assertRefused("{\"schemaVersion\":1,\"id\":\"example.models\",\"version\":7,\"expires\":\"2026-09-01T00:00:00Z\",\"models\":[],"
            + "\"aliases\":{\"vad\":[\"silero-vad\"]}}",
        "cat.json: invalid catalog at /aliases/vad: expected an object, found an array");
    assertRefused("[1,2,3]", "cat.json: invalid catalog at /: expected an object, found an array");
  }

  @Test
  void hostileDeepNestingIsRefusedBeforeItIsRead() {
    String deep = "{\"schemaVersion\":1,\"id\":\"x\",\"version\":1,\"expires\":\"2026-09-01T00:00:00Z\",\"models\":"
        + "[".repeat(10_000) + "]".repeat(10_000) + "}";

    assertRefused(deep, "cat.json: invalid catalog at /: the catalog breaks a limit: nesting depth (33) exceeds"
        + " the maximum allowed (32)");
  }

  @Test
  void hostileHugeCatalogIsRefusedBeforeParsing() {
    byte[] huge = new byte[CatalogCodec.MAX_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) ' ');

    assertThatThrownBy(() -> CatalogCodec.parse(huge, "cat.json"))
        .hasMessage("cat.json: invalid catalog at /: the catalog is 4194305 bytes; the limit is 4194304 bytes,"
            + " so this is not a catalog");
  }

  @Test
  void refusesUnknownTopLevelFields() {
    assertRefused("{\"schemaVersion\":1,\"id\":\"example.models\",\"version\":1,\"expires\":\"2026-09-01T00:00:00Z\",\"models\":[],\"extra\":1}",
        "cat.json: invalid catalog at /extra: unknown field \"extra\"; valid fields here are aliases, bundled, expires, id, models,"
            + " schemaVersion, version");
  }

  @Test
  void refusesNewerSchemaVersionsWithAnUpgradeHint() {
    assertRefused("{\"schemaVersion\":2,\"id\":\"example.models\",\"version\":1,\"expires\":\"2026-09-01T00:00:00Z\",\"models\":[]}",
        "cat.json: invalid catalog at /schemaVersion: schema version 2 is not supported; this Soko reads version 1"
            + " (upgrade Soko to read newer catalogs)");
  }

  @Test
  void catalogWithoutAliasesIsValid() throws Exception {
    Catalog c = parse("{\"schemaVersion\":1,\"id\":\"example.models\",\"version\":1,\"expires\":\"2026-09-01T00:00:00Z\",\"models\":["
        + manifest("m-asr", "1.0.0", ASR_JA) + "]}");

    assertThat(c.aliases()).isEmpty();
    assertThat(c.alias("ja-asr")).isEqualTo(Optional.empty());
  }
}
