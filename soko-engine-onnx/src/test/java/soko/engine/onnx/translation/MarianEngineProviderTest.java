package soko.engine.onnx.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Language;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.model.VerifiedModel;
import soko.runtime.EngineOptions;
import soko.runtime.ModelUnavailableException;
import soko.runtime.TranslationSession;

class MarianEngineProviderTest {
  @TempDir
  Path dir;

  final TranslationEngineProvider provider = new TranslationEngineProvider();

  EngineOptions options() {
    return new EngineOptions(1, dir.resolve("scratch"), false);
  }

  @Test
  void acceptsTranslateModelsOnlyAndLeavesVadToTheOtherOnnxEngine() throws Exception {
    Map<String, Path> files = TinyModelDir.write(dir.resolve("m"), TinyModelDir.Options.of(TinyMarian.Geometry.small(300)));
    assertThat(provider.accepts(TinyModelDir.manifest("tiny-ja-en", files, TaskSpec.translate(Language.JA, Language.EN)),
        Task.TRANSLATE)).isTrue();
    assertThat(provider.accepts(TinyModelDir.manifest("tiny-vad", files, TaskSpec.vad()), Task.VAD)).isFalse();
  }

  @Test
  void translatesLineByLineKeepingTheLineBreaks() throws Exception {
    VerifiedModel model = TinyModelDir.verified("tiny-ja-en",
        TinyModelDir.write(dir.resolve("m"), TinyModelDir.Options.of(TinyMarian.Geometry.small(300).withBiases(3, 0))));
    try (TranslationSession session = (TranslationSession) provider.open(model, Task.TRANSLATE, options())) {
      String out = session.translate("猫が好きです。犬も好きです。\r\n\n駅はどこですか？", Language.JA, Language.EN);
      assertThat(out.split("\r\n|\n", -1)).hasSize(3);
      assertThat(out).contains("\r\n\n");
      assertThat(session.translate("  ", Language.JA, Language.EN)).isEqualTo("  ");
    }
  }

  @Test
  void concurrentTranslationsGiveTheSameResultsAsSequentialOnes() throws Exception {
    VerifiedModel model = TinyModelDir.verified("tiny-ja-en",
        TinyModelDir.write(dir.resolve("m"), TinyModelDir.Options.of(TinyMarian.Geometry.small(300).withBiases(3, 0))));
    List<String> inputs = List.of("猫が好きです。", "駅はどこですか。", "水を一杯ください。", "今日は雨が降っています。");
    try (TranslationSession session = (TranslationSession) provider.open(model, Task.TRANSLATE, options())) {
      List<String> sequential = new ArrayList<>();
      for (String s : inputs) {
        sequential.add(session.translate(s, Language.JA, Language.EN));
      }
      try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
        List<Future<String>> futures = new ArrayList<>();
        for (String s : inputs) {
          futures.add(pool.submit(() -> session.translate(s, Language.JA, Language.EN)));
        }
        for (int i = 0; i < inputs.size(); i++) {
          assertThat(futures.get(i).get()).isEqualTo(sequential.get(i));
        }
      }
    }
  }

  @Test
  void refusesALanguagePairTheModelDoesNotTranslate() throws Exception {
    VerifiedModel model = TinyModelDir.verified("tiny-ja-en",
        TinyModelDir.write(dir.resolve("m"), TinyModelDir.Options.of(TinyMarian.Geometry.small(300))));
    try (TranslationSession session = (TranslationSession) provider.open(model, Task.TRANSLATE, options())) {
      assertThatThrownBy(() -> session.translate("안녕하세요", Language.KO, Language.EN))
          .isInstanceOf(ModelUnavailableException.class)
          .hasMessage("tiny-ja-en@1.0.0 translates [translate ja→en], not ko→en; install a model for ko→en");
    }
  }

  @Test
  void aClosedSessionRefusesWork() throws Exception {
    VerifiedModel model = TinyModelDir.verified("tiny-ja-en",
        TinyModelDir.write(dir.resolve("m"), TinyModelDir.Options.of(TinyMarian.Geometry.small(300))));
    TranslationSession session = (TranslationSession) provider.open(model, Task.TRANSLATE, options());
    session.close();
    session.close();
    assertThatThrownBy(() -> session.translate("猫", Language.JA, Language.EN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this translation session for tiny-ja-en@1.0.0 is closed");
  }

  @Test
  void prefersTheQuantizedExportWhenTheManifestListsSeveral() throws Exception {
    Map<String, Path> files = new LinkedHashMap<>(TinyModelDir.write(dir.resolve("m"),
        TinyModelDir.Options.of(TinyMarian.Geometry.small(300))));
    // The "quantized" files here are a different random model, so choosing them changes the geometry.
    TinyMarian.write(new TinyMarian.Geometry(300, 24, 3, 32, 1, 1, 64, 9, 0, 0, false), dir.resolve("m/onnx"),
        "_quantized");
    files.put("onnx/encoder_model_quantized.onnx", dir.resolve("m/onnx/encoder_model_quantized.onnx"));
    files.put("onnx/decoder_model_merged_quantized.onnx", dir.resolve("m/onnx/decoder_model_merged_quantized.onnx"));
    ModelFiles chosen = ModelFiles.choose(files);
    assertThat(chosen.encoder().getFileName().toString()).isEqualTo("encoder_model_quantized.onnx");
    assertThat(chosen.decoders()).extracting(p -> p.getFileName().toString())
        .containsExactly("decoder_model_merged_quantized.onnx");
  }

  @Test
  void aModelWithoutTheMergedDecoderIsUnavailableWithAClearMessage() throws Exception {
    Map<String, Path> files = new LinkedHashMap<>(TinyModelDir.write(dir.resolve("m"),
        TinyModelDir.Options.of(TinyMarian.Geometry.small(300))));
    files.remove("onnx/decoder_model_merged.onnx");
    VerifiedModel model = new VerifiedModel(TinyModelDir.manifest("tiny-ja-en", files,
        TaskSpec.translate(Language.JA, Language.EN)), files, Instant.EPOCH);
    assertThatThrownBy(() -> provider.open(model, Task.TRANSLATE, options()))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("tiny-ja-en@1.0.0 is not a usable translation model: the model has no complete set of ONNX"
            + " graphs of one variant: it needs encoder_model<v>.onnx with decoder_model_merged<v>.onnx, or with"
            + " decoder_model<v>.onnx and decoder_with_past_model<v>.onnx, for <v> one of [\"_quantized\", \"_int8\","
            + " \"_uint8\", \"\", \"_q4\", \"_bnb4\"]; it has [encoder_model.onnx]; reinstall it or fix its manifest");
  }

  @Test
  void aCorruptTokenizerIsUnavailableWithAClearMessage() throws Exception {
    Map<String, Path> files = TinyModelDir.write(dir.resolve("m"), TinyModelDir.Options.of(TinyMarian.Geometry.small(300)));
    byte[] spm = Files.readAllBytes(files.get("source.spm"));
    Files.write(files.get("source.spm"), java.util.Arrays.copyOf(spm, 1000));
    VerifiedModel model = TinyModelDir.verified("tiny-ja-en", files);
    assertThatThrownBy(() -> provider.open(model, Task.TRANSLATE, options()))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessageStartingWith("tiny-ja-en@1.0.0 is not a usable translation model: the model's tokenizer is unusable: ")
        .hasMessageContaining("is truncated or corrupt");
  }
}
