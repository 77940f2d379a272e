package soko.engine.whisper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.runtime.EngineOptions;
import soko.runtime.ModelUnavailableException;
import soko.manifest.Task;
import soko.testkit.ggml.FileType;
import soko.testkit.ggml.WhisperTestModel;
import soko.testkit.ggml.WhisperTestModel.HyperParameters;

/** A manifest's whisper.cpp annotations against the file's header, before any native call. */
class GgmlExpectationTest {
  @TempDir Path dir;

  private static final Map<String, String> KOTOBA_Q5_0 = Map.of(
      "whisper.cpp.n_vocab", "51866", "whisper.cpp.n_audio_state", "1280", "whisper.cpp.n_audio_layer", "32",
      "whisper.cpp.n_text_layer", "2", "whisper.cpp.n_mels", "128", "whisper.cpp.ftype", "q5_0");

  @Test
  void aFileOfTheDeclaredShapeAndWeightTypeMatches() throws Exception {
    Path file = WhisperTestModel.of(HyperParameters.KOTOBA_WHISPER_V2.withFileType(FileType.Q5_0))
        .writeTo(dir.resolve("m.bin"));
    GgmlExpectation expected = GgmlExpectation.of(TestModels.verified(file, KOTOBA_Q5_0).manifest());

    assertThat(expected.mismatch(GgmlHeader.read(file))).isEmpty();
  }

  @Test
  void aBaseModelUnderALargeV3ManifestIsNamedAsSuch() throws Exception {
    Path file = WhisperTestModel.of(HyperParameters.BASE).writeTo(dir.resolve("m.bin"));
    GgmlExpectation expected = GgmlExpectation.of(TestModels.verified(file, KOTOBA_Q5_0).manifest());

    assertThat(expected.mismatch(GgmlHeader.read(file))).contains("the manifest expects n_vocab 51866,"
        + " n_audio_state 1280, n_audio_layer 32, n_text_layer 2, n_mels 128, ftype q5_0; the file's header describes a"
        + " base shape (n_audio_layer 6, n_text_layer 6, n_audio_state 512, n_mels 80, n_vocab 51865), f16 weights");
  }

  @Test
  void aTurboFileUnderAKotobaManifestDiffersOnlyInItsDecoder() throws Exception {
    Path file = WhisperTestModel.of(HyperParameters.LARGE_V3_TURBO.withFileType(FileType.Q5_0))
        .writeTo(dir.resolve("m.bin"));
    GgmlExpectation expected = GgmlExpectation.of(TestModels.verified(file, KOTOBA_Q5_0).manifest());

    assertThat(expected.mismatch(GgmlHeader.read(file))).hasValueSatisfying(m ->
        assertThat(m).startsWith("the manifest expects n_text_layer 2; the file's header describes a large-v3 shape"
            + " with a 4-layer decoder"));
  }

  @Test
  void aManifestWithoutAnnotationsExpectsNothing() throws Exception {
    Path file = WhisperTestModel.tinyMultilingual().writeTo(dir.resolve("m.bin"));

    assertThat(GgmlExpectation.of(TestModels.verified(file).manifest())).isEqualTo(GgmlExpectation.NONE);
    assertThat(GgmlExpectation.NONE.mismatch(GgmlHeader.read(file))).isEmpty();
  }

  @Test
  void anAnnotationThatIsNoNumberIsRefusedByName() throws Exception {
    Path file = WhisperTestModel.tinyMultilingual().writeTo(dir.resolve("m.bin"));
    var manifest = TestModels.verified(file, Map.of("whisper.cpp.n_mels", "eighty")).manifest();

    assertThatThrownBy(() -> GgmlExpectation.of(manifest))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("its annotation whisper.cpp.n_mels is \"eighty\", not a positive whole number");
  }

  @Test
  void anUnknownWeightTypeIsRefusedByName() throws Exception {
    Path file = WhisperTestModel.tinyMultilingual().writeTo(dir.resolve("m.bin"));
    var manifest = TestModels.verified(file, Map.of("whisper.cpp.ftype", "q3")).manifest();

    assertThatThrownBy(() -> GgmlExpectation.of(manifest))
        .hasMessage("its annotation whisper.cpp.ftype is \"q3\", not a ggml weight type such as f16 or q5_0");
  }

  @Test
  void theProviderRefusesAMismatchBeforeStartingWhisperCpp() throws Exception {
    // In-process: were the file handed to whisper.cpp, this JVM would load it; the refusal comes first.
    Path file = WhisperTestModel.of(HyperParameters.BASE).writeTo(dir.resolve(TestModels.FILE_NAME));
    var model = TestModels.verified(file, KOTOBA_Q5_0);

    assertThatThrownBy(() -> new WhisperEngineProvider().open(model, Task.ASR, new EngineOptions(1, dir, false)))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("whisper.cpp refused model whisper-test@1.0.0: ggml-test.bin does not match its manifest (the"
            + " manifest expects n_vocab 51866, n_audio_state 1280, n_audio_layer 32, n_text_layer 2, n_mels 128,"
            + " ftype q5_0; the file's header describes a base shape (n_audio_layer 6, n_text_layer 6, n_audio_state"
            + " 512, n_mels 80, n_vocab 51865), f16 weights); its sha256 matches, so the manifest's whisper.cpp"
            + " annotations are wrong: correct them, or install another model for this task");
  }

  @Test
  void theProviderRefusesABrokenAnnotationBeforeReadingTheFile() throws Exception {
    Path file = WhisperTestModel.tinyMultilingual().writeTo(dir.resolve(TestModels.FILE_NAME));
    var model = TestModels.verified(file, Map.of("whisper.cpp.n_text_layer", "-2"));

    assertThatThrownBy(() -> new WhisperEngineProvider().open(model, Task.ASR, new EngineOptions(1, dir, true)))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("whisper.cpp refused model whisper-test@1.0.0: its annotation whisper.cpp.n_text_layer is \"-2\","
            + " not a positive whole number; correct the manifest's whisper.cpp annotations");
  }
}
