package soko.engine.onnx.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Language;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.model.VerifiedModel;
import soko.runtime.EngineOptions;
import soko.runtime.ModelUnavailableException;
import soko.runtime.TranslationSession;

/** The provider on the tiny exports in the layouts a catalog pins: what it runs and what it refuses. */
class TranslationEngineProviderTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  final TranslationEngineProvider provider = new TranslationEngineProvider();

  EngineOptions options() {
    return new EngineOptions(1, dir.resolve("scratch"), false);
  }

  VerifiedModel verified(String name, Map<String, Path> files, TaskSpec... tasks) throws Exception {
    return new VerifiedModel(TinyModelDir.manifest(name, files, tasks), files, Instant.EPOCH);
  }

  static ObjectNode read(Path file) throws Exception {
    return (ObjectNode) JSON.readTree(file.toFile());
  }

  @Test
  void oneM2m100ModelTranslatesJapaneseAndKoreanIntoEnglishFromItsQuantizedFiles() throws Exception {
    for (TinyExports.Graphs graphs : new TinyExports.Graphs[] {TinyExports.Graphs.MERGED_QUANTIZED,
        TinyExports.Graphs.SPLIT_QUANTIZED}) {
      Map<String, Path> files = TinyExports.write(dir.resolve(graphs.name()), "m2m100", graphs);
      VerifiedModel model = verified("tiny-m2m100", files, TaskSpec.translate(Language.JA, Language.EN),
          TaskSpec.translate(Language.KO, Language.EN));
      assertThat(provider.accepts(model.manifest(), Task.TRANSLATE)).isTrue();
      try (TranslationSession session = (TranslationSession) provider.open(model, Task.TRANSLATE, options())) {
        String ja = session.translate("猫が窓のそばで寝ています。\n駅はどこですか。", Language.JA, Language.EN);
        String ko = session.translate("고양이가 창가에서 자고 있어요.", Language.KO, Language.EN);
        assertThat(ja.split("\n", -1)).hasSize(2);
        assertThat(ko).isNotBlank();
        assertThat(session.translate("고양이가 창가에서 자고 있어요.", Language.KO, Language.EN)).isEqualTo(ko);
        assertThatThrownBy(() -> session.translate("猫", Language.JA, Language.KO))
            .isInstanceOf(ModelUnavailableException.class)
            .hasMessage("tiny-m2m100@1.0.0 translates [translate ja→en, translate ko→en], not ja→ko; install a model"
                + " for ja→ko");
      }
    }
  }

  @Test
  void aMarianExportWithTokenizerJsonTranslates() throws Exception {
    Map<String, Path> files = TinyExports.write(dir.resolve("m"), "marian", TinyExports.Graphs.MERGED_QUANTIZED);
    VerifiedModel model = verified("tiny-opus", files, TaskSpec.translate(Language.JA, Language.EN));
    try (TranslationSession session = (TranslationSession) provider.open(model, Task.TRANSLATE, options())) {
      assertThat(session.translate("猫が窓のそばで寝ています。", Language.JA, Language.EN)).isNotNull();
    }
  }

  @Test
  void aManifestLanguageTheTokenizerLacksIsRefusedBeforeLoading() throws Exception {
    Map<String, Path> files = TinyExports.write(dir.resolve("m"), "m2m100", TinyExports.Graphs.MERGED);
    VerifiedModel from = verified("tiny-m2m100", files, TaskSpec.translate(new Language("tlh"), Language.EN));
    assertThatThrownBy(() -> provider.open(from, Task.TRANSLATE, options()))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("tiny-m2m100@1.0.0 does not match its manifest: the model's tokenizer has no language token for"
            + " tlh (__tlh__); fix the manifest's translate tasks");
    VerifiedModel to = verified("tiny-m2m100", files, TaskSpec.translate(Language.JA, new Language("tlh")));
    assertThatThrownBy(() -> provider.open(to, Task.TRANSLATE, options()))
        .hasMessageContaining("has no language token for tlh (__tlh__)");
  }

  @Test
  void aModelTypeSokoDoesNotRunIsRefused() throws Exception {
    Map<String, Path> files = TinyExports.write(dir.resolve("m"), "m2m100", TinyExports.Graphs.MERGED);
    ObjectNode config = read(files.get("config.json"));
    config.put("model_type", "t5");
    Files.write(files.get("config.json"), JSON.writeValueAsBytes(config));
    VerifiedModel model = verified("tiny", files, TaskSpec.translate(Language.JA, Language.EN));
    assertThatThrownBy(() -> provider.open(model, Task.TRANSLATE, options()))
        .hasMessage("tiny@1.0.0 is not a usable translation model: the model's configuration is invalid: config.json"
            + " /model_type: \"t5\" is not a model Soko translates with; it runs marian (OPUS-MT) and m2m_100 (M2M100,"
            + " NLLB-200); reinstall it or fix its manifest");
  }

  @Test
  void aTokenizerFromAnotherModelIsRefused() throws Exception {
    Map<String, Path> files = TinyExports.write(dir.resolve("m"), "m2m100", TinyExports.Graphs.MERGED);
    Files.write(files.get("tokenizer.json"), TinyExports.resource(
        "/soko/engine/onnx/tokenizer/marian-ja.tokenizer.json.gz", true));
    VerifiedModel model = verified("tiny", files, TaskSpec.translate(Language.JA, Language.EN));
    assertThatThrownBy(() -> provider.open(model, Task.TRANSLATE, options()))
        .hasMessage("tiny@1.0.0 is not a usable translation model: tokenizer.json's </s> is id 0 but config.json's"
            + " eos token is id 2; the files are from different models; reinstall it or fix its manifest");
    Files.write(files.get("tokenizer_config.json"), "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThatThrownBy(() -> provider.open(model, Task.TRANSLATE, options()))
        .hasMessage("tiny@1.0.0 is not a usable translation model: config.json says m2m_100 but the tokenizer has"
            + " neither M2M100's language tokens (__en__) nor NLLB's (eng_Latn), and tokenizer_config.json names no"
            + " M2M100 or NLLB tokenizer class; Soko cannot tell how to mark languages; reinstall it or fix its"
            + " manifest");
  }

  @Test
  void aTemplateThatDropsTheLanguageTokenIsRefused() throws Exception {
    Map<String, Path> files = TinyExports.write(dir.resolve("m"), "m2m100", TinyExports.Graphs.MERGED);
    ObjectNode tokenizer = read(files.get("tokenizer.json"));
    ((ArrayNode) tokenizer.get("post_processor").get("single")).remove(0);
    Files.write(files.get("tokenizer.json"), JSON.writeValueAsBytes(tokenizer));
    VerifiedModel model = verified("tiny", files, TaskSpec.translate(Language.JA, Language.EN));
    assertThatThrownBy(() -> provider.open(model, Task.TRANSLATE, options()))
        .hasMessage("tiny@1.0.0 is not a usable translation model: tokenizer.json's post-processor puts [$A, </s>]"
            + " around the text, but a m2m100 model expects [__xx__, $A, </s>]; the tokenizer is not this model's;"
            + " reinstall it or fix its manifest");
  }

  @Test
  void aMergedDecoderFiledAsTheSplitLayoutIsRefusedWithWhatItIs() throws Exception {
    Map<String, Path> files = TinyExports.write(dir.resolve("m"), "m2m100", TinyExports.Graphs.SPLIT);
    Files.write(files.get("onnx/decoder_with_past_model.onnx"), TinyExports.resource(
        TinyExports.DIR + "m2m100/onnx/decoder_model_merged.onnx.gz", true));
    VerifiedModel model = verified("tiny", files, TaskSpec.translate(Language.JA, Language.EN));
    assertThatThrownBy(() -> provider.open(model, Task.TRANSLATE, options()))
        .hasMessage("tiny@1.0.0 is not a usable translation model: decoder_with_past_model has a use_cache_branch"
            + " input, so it is a merged decoder; name it decoder_model_merged.onnx; reinstall it or fix its manifest");
  }

  @Test
  void aConfigAndGraphsOfDifferentVocabulariesAreRefused() throws Exception {
    Map<String, Path> files = TinyExports.write(dir.resolve("m"), "m2m100", TinyExports.Graphs.MERGED);
    ObjectNode config = read(files.get("config.json"));
    config.put("vocab_size", 5000);
    Files.write(files.get("config.json"), JSON.writeValueAsBytes(config));
    VerifiedModel model = verified("tiny", files, TaskSpec.translate(Language.JA, Language.EN));
    assertThatThrownBy(() -> provider.open(model, Task.TRANSLATE, options()))
        .hasMessage("tiny@1.0.0 is not a usable translation model: the merged decoder's logits have 703 entries but"
            + " config.json says the vocabulary has 5000; the files are from different models; reinstall it or fix"
            + " its manifest");
  }
}
