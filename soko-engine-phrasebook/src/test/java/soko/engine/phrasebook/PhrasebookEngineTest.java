package soko.engine.phrasebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static soko.engine.phrasebook.PhrasebookModels.tsv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Language;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.model.VerifiedModel;
import soko.runtime.EngineException;
import soko.runtime.EngineOptions;
import soko.runtime.EngineProvider;
import soko.runtime.HardwareNeeds;
import soko.runtime.TranslationSession;

/** The engine as Soko sees it: discovery, declared capabilities, model checks and refusals. */
class PhrasebookEngineTest {
  @TempDir
  Path dir;

  private final PhrasebookEngine engine = new PhrasebookEngine();

  @Test
  void serviceLoaderFindsTheProvider() {
    assertThat(ServiceLoader.load(EngineProvider.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(p -> assertThat(p).isInstanceOf(PhrasebookEngine.class));
  }

  @Test
  void infoDeclaresPureJavaTranslationFromJapaneseAndKoreanToEnglish() {
    assertThat(engine.info().id()).isEqualTo("soko-phrasebook");
    assertThat(engine.info().version()).isEqualTo("1.0.0");
    assertThat(engine.info().capabilities()).containsExactly(TaskSpec.translate(Language.JA, Language.EN),
        TaskSpec.translate(Language.KO, Language.EN));
    assertThat(engine.info().needs()).isEqualTo(HardwareNeeds.PURE_JAVA);
    assertThat(engine.info().description()).startsWith("DEMO ONLY, not machine translation");
  }

  @Test
  void acceptsTheBundledManifestForTranslationOnly() throws Exception {
    assertThat(engine.accepts(PhrasebookModels.bundledManifest(), Task.TRANSLATE)).isTrue();
    assertThat(engine.accepts(PhrasebookModels.bundledManifest(), Task.ASR)).isFalse();
  }

  @Test
  void opensTheBundledModelWithBothLanguages() throws Exception {
    try (TranslationSession s = PhrasebookModels.open(PhrasebookModels.bundled(dir), dir)) {
      assertThat(s.translate("ありがとう", Language.JA, Language.EN)).isEqualTo("Thanks");
      assertThat(s.translate("고마워요", Language.KO, Language.EN)).isEqualTo("Thanks");
    }
  }

  @Test
  void refusesALanguagePairItDoesNotHave() throws Exception {
    try (TranslationSession s = PhrasebookModels.open(PhrasebookModels.bundled(dir), dir)) {
      assertThatThrownBy(() -> s.translate("你好", Language.parse("zh"), Language.EN))
          .isExactlyInstanceOf(EngineException.class)
          .hasMessage("demo-phrasebook@1.0.0 cannot translate zh→en: this demo phrasebook only has ja→en and ko→en;"
              + " use a translation model for zh→en");
      assertThatThrownBy(() -> s.translate("hello", Language.EN, Language.JA))
          .hasMessageStartingWith("demo-phrasebook@1.0.0 cannot translate en→ja: ");
    }
  }

  @Test
  void refusesATaskOtherThanTranslate() throws Exception {
    VerifiedModel model = PhrasebookModels.bundled(dir);
    assertThatThrownBy(() -> engine.open(model, Task.ASR, new EngineOptions(1, dir, false)))
        .isExactlyInstanceOf(EngineException.class)
        .hasMessage("soko-phrasebook cannot run asr with demo-phrasebook@1.0.0: it is a demo phrasebook that only"
            + " translates text (ja→en, ko→en)");
  }

  @Test
  void sessionRefusesUseAfterClose() throws Exception {
    TranslationSession s = PhrasebookModels.open(PhrasebookModels.bundled(dir), dir);
    s.close();
    assertThatThrownBy(() -> s.translate("ありがとう", Language.JA, Language.EN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the phrasebook session for demo-phrasebook@1.0.0 is closed");
  }

  @Test
  void lineWithoutATabIsRefusedNamingFileAndLine() throws Exception {
    assertThat(openFailure("# source\tenglish\n駅\tstation\n東京 Tokyo\n"))
        .isEqualTo("The phrasebook file phrasebook-ja-en.tsv of demo-phrasebook@1.0.0, line 3: has no tab between"
            + " the source and the English; write source<TAB>english");
  }

  @Test
  void lineWithTwoTabsIsRefused() throws Exception {
    assertThat(openFailure("駅\tstation\tえき\n"))
        .isEqualTo("The phrasebook file phrasebook-ja-en.tsv of demo-phrasebook@1.0.0, line 1: has 2 tabs;"
            + " write source<TAB>english with exactly one tab");
  }

  @Test
  void emptyColumnIsRefused() throws Exception {
    assertThat(openFailure("# c\n\n駅\t\n"))
        .isEqualTo("The phrasebook file phrasebook-ja-en.tsv of demo-phrasebook@1.0.0, line 3: the English column is empty");
  }

  @Test
  void strayWhiteSpaceIsRefused() throws Exception {
    assertThat(openFailure("駅 \tstation\n"))
        .isEqualTo("The phrasebook file phrasebook-ja-en.tsv of demo-phrasebook@1.0.0, line 1: the source column \"駅 \""
            + " has leading, trailing, repeated or non-space white space");
  }

  @Test
  void sourceRepeatedAfterNormalisationIsRefused() throws Exception {
    assertThat(openFailure(tsv("ホテル", "hotel", "駅", "station", "ﾎﾃﾙ", "hotel")))
        .isEqualTo("The phrasebook file phrasebook-ja-en.tsv of demo-phrasebook@1.0.0, line 5: the source \"ﾎﾃﾙ\""
            + " repeats line 3; keep one of them");
  }

  @Test
  void fileWithoutPhrasesIsRefused() throws Exception {
    assertThat(openFailure("# source\tenglish\n"))
        .isEqualTo("The phrasebook file phrasebook-ja-en.tsv of demo-phrasebook@1.0.0 has no phrases;"
            + " each entry line is source<TAB>english");
  }

  @Test
  void fileThatIsNotUtf8IsRefused() throws Exception {
    VerifiedModel model = PhrasebookModels.custom(dir, Map.of("phrasebook-ja-en.tsv", "x"));
    Files.write(model.file("phrasebook-ja-en.tsv"), new byte[] {(byte) 0x89, 0x77, '\t', 'x', '\n'});
    assertThatThrownBy(() -> PhrasebookModels.open(model, dir))
        .hasMessage("The phrasebook file phrasebook-ja-en.tsv of demo-phrasebook@1.0.0 is not valid UTF-8; save it as UTF-8");
  }

  @Test
  void byteOrderMarkAndCrlfLineEndsAreAccepted() throws Exception {
    VerifiedModel model = PhrasebookModels.custom(dir, Map.of("phrasebook-ja-en.tsv", "\uFEFF駅\tstation\r\n"));
    try (TranslationSession s = PhrasebookModels.open(model, dir)) {
      assertThat(s.translate("駅", Language.JA, Language.EN)).isEqualTo("Station");
    }
  }

  private String openFailure(String phrases) throws Exception {
    VerifiedModel model = PhrasebookModels.custom(dir, Map.of("phrasebook-ja-en.tsv", phrases));
    try {
      PhrasebookModels.open(model, dir).close();
    } catch (EngineException e) {
      return e.getMessage();
    }
    throw new AssertionError("the phrasebook opened");
  }
}
