package soko.engine.whisper;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import soko.catalog.BuiltinCatalog;
import soko.manifest.Manifest;
import soko.testkit.ggml.FileType;
import soko.testkit.ggml.WhisperTestModel;

/** The built-in catalog's whisper.cpp models, as this engine will check them. */
class BuiltinWhisperModelsTest {
  private static List<Manifest> whisperModels() throws Exception {
    return BuiltinCatalog.load().models().stream()
        .filter(m -> m.engine().id().equals(WhisperEngineProvider.ENGINE_ID))
        .toList();
  }

  @Test
  void everyManifestDeclaresTheShapeItsFileMustHave() throws Exception {
    List<Manifest> models = whisperModels();

    assertThat(models).hasSize(10);
    for (Manifest m : models) {
      GgmlExpectation e = GgmlExpectation.of(m);
      assertThat(e.nVocab()).as(m.id()).isPresent();
      assertThat(e.nAudioState()).as(m.id()).isPresent();
      assertThat(e.nAudioLayer()).as(m.id()).isPresent();
      assertThat(e.nTextLayer()).as(m.id()).isPresent();
      assertThat(e.nMels()).as(m.id()).isPresent();
      assertThat(e.weights()).as(m.id()).isPresent();
    }
  }

  @Test
  void theEngineAndTheTestkitAgreeOnEveryDeclaredShapesTensors() throws Exception {
    // Two independent descriptions of whisper.cpp's tensor layout: the one that checks files and the
    // one that writes them for tests.
    for (Manifest m : whisperModels()) {
      GgmlExpectation e = GgmlExpectation.of(m);
      WeightType w = e.weights().orElseThrow();
      GgmlLayout layout = GgmlLayout.of(e.nVocab().getAsInt(), 1_500, e.nAudioState().getAsInt(),
          e.nAudioLayer().getAsInt(), 448, e.nAudioState().getAsInt(), e.nTextLayer().getAsInt(), e.nMels().getAsInt(), w);
      var h = new WhisperTestModel.HyperParameters(e.nVocab().getAsInt(), 1_500, e.nAudioState().getAsInt(), 1,
          e.nAudioLayer().getAsInt(), 448, e.nAudioState().getAsInt(), 1, e.nTextLayer().getAsInt(), e.nMels().getAsInt(), 1)
          .withFileType(FileType.valueOf(w.name().toUpperCase(Locale.ROOT)));

      assertThat(layout.tensors()).as(m.id()).hasSize(WhisperTestModel.layout(h).size());
      assertThat(layout.bytes()).as(m.id()).isEqualTo(WhisperTestModel.tensorBytes(h));
      assertThat(layout.tensors().size()).as(m.id())
          .isEqualTo(11 + 15 * e.nAudioLayer().getAsInt() + 24 * e.nTextLayer().getAsInt());
    }
  }
}
