package soko.engine.whisper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Language;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.runtime.EngineOptions;
import soko.runtime.EngineProvider;
import soko.runtime.ModelUnavailableException;
import soko.testkit.ggml.WhisperTestModel;

/** What the provider declares and refuses, without running whisper.cpp. */
class WhisperEngineProviderTest {
  @TempDir Path dir;

  @Test
  void serviceLoaderFindsTheProvider() {
    var providers = ServiceLoader.load(EngineProvider.class).stream().map(ServiceLoader.Provider::get).toList();

    assertThat(providers).anySatisfy(p -> {
      assertThat(p).isInstanceOf(WhisperEngineProvider.class);
      assertThat(p.info().id()).isEqualTo("whisper.cpp");
      assertThat(p.info().version()).isEqualTo("1.7.1");
    });
  }

  @Test
  void declaresSpeechRecognitionAndTranslationIntoEnglishForJapaneseAndKorean() {
    var info = new WhisperEngineProvider().info();

    assertThat(info.capabilities()).containsExactly(
        TaskSpec.asr(Language.JA, Language.KO), TaskSpec.speechTranslate(Language.EN, Language.JA, Language.KO));
    assertThat(info.needs().nativeCode()).isTrue();
  }

  @Test
  void refusesTasksOtherThanSpeech() throws Exception {
    var model = TestModels.verified(WhisperTestModel.tinyMultilingual().writeTo(dir.resolve("m.bin")));

    assertThatThrownBy(() -> new WhisperEngineProvider().open(model, Task.TRANSLATE, new EngineOptions(1, dir, true)))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("whisper.cpp runs asr and speech-translate, not translate");
  }

  @Test
  void refusesATruncatedModelInProcessWithoutCallingNativeCode() throws Exception {
    // Handing this file to whisper.cpp would abort this JVM: only the header check stands in the way.
    Path cut = WhisperTestModel.tinyMultilingual().writeTruncatedTo(dir.resolve(TestModels.FILE_NAME), 1_000);
    var model = TestModels.verified(cut);

    assertThatThrownBy(() -> new WhisperEngineProvider().open(model, Task.ASR, new EngineOptions(1, dir, false)))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("whisper.cpp refused model whisper-test@1.0.0: ggml-test.bin is not a whisper.cpp ggml model"
            + " (it ends at byte 1000, inside the mel filters (which need 64376 bytes); the file is cut short); it is"
            + " the file its manifest names (its sha256 matches), so reinstalling would give the same bytes: ask the"
            + " model's publisher for a fixed version, or install another model for this task (`soko rm whisper-test`"
            + " removes this one)");
  }
}
