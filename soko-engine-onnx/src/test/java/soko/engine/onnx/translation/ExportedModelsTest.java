package soko.engine.onnx.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import soko.manifest.Language;

/**
 * The engine on exports of the real transformers M2M100 and Marian code (random weights, Optimum's
 * layout, int8 variants; see {@code tiny/generate.py}): it encodes as the Python tokenizers do,
 * reproduces transformers' {@code generate()} token for token, and keeps its invariants on every
 * layout.
 */
class ExportedModelsTest {
  static JsonNode expected;

  @TempDir
  Path dir;

  @BeforeAll
  static void expected() throws Exception {
    expected = new ObjectMapper().readTree(TinyExports.resource(TinyExports.DIR + "expected.json", false));
  }

  TranslationModel load(String model, TinyExports.Graphs graphs) throws Exception {
    return TranslationModel.load(TestOrt.environment(),
        TinyExports.write(dir.resolve(model + "-" + graphs), model, graphs), 1);
  }

  static Stream<Arguments> fp32() {
    return Stream.of(Arguments.of("m2m100", TinyExports.Graphs.MERGED), Arguments.of("m2m100", TinyExports.Graphs.SPLIT),
        Arguments.of("marian", TinyExports.Graphs.MERGED));
  }

  static Stream<Arguments> all() {
    return Stream.of(Arguments.of("m2m100", TinyExports.Graphs.MERGED), Arguments.of("m2m100", TinyExports.Graphs.SPLIT),
        Arguments.of("m2m100", TinyExports.Graphs.MERGED_QUANTIZED),
        Arguments.of("m2m100", TinyExports.Graphs.SPLIT_QUANTIZED), Arguments.of("marian", TinyExports.Graphs.MERGED),
        Arguments.of("marian", TinyExports.Graphs.MERGED_QUANTIZED));
  }

  static long[][] inputs(String model, String lang) {
    List<long[]> out = new ArrayList<>();
    expected.get(model).get("inputs").get(lang).forEach(ids -> {
      long[] a = new long[ids.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = ids.get(i).longValue();
      }
      out.add(a);
    });
    return out.toArray(long[][]::new);
  }

  static List<String> sentences(String lang) {
    return lang.equals("ja")
        ? List.of("猫が窓のそばで寝ています。", "駅はどこですか。", "水", "この本はとても面白いです。", "東京タワーに行きたい。")
        : List.of("고양이가 창가에서 자고 있어요.", "역이 어디예요?", "물", "이 책은 정말 재미있어요.");
  }

  /** The model's config with a case's generation settings on top, as generate(**settings) applies them. */
  static ModelConfig configFor(ModelConfig base, JsonNode s) {
    List<List<Integer>> bad = new ArrayList<>();
    if (s.has("bad_words_ids")) {
      s.get("bad_words_ids").forEach(seq -> {
        List<Integer> ids = new ArrayList<>();
        seq.forEach(id -> ids.add(id.intValue()));
        bad.add(ids);
      });
    }
    return new ModelConfig(base.family(), base.vocabSize(), base.padId(), base.eosIds(), base.decoderStartId(),
        s.get("max_length").intValue(), 0, s.get("num_beams").intValue(), bad, Optional.empty(),
        s.has("forced_eos_token_id") ? Optional.of(s.get("forced_eos_token_id").intValue()) : Optional.empty(),
        s.has("length_penalty") ? s.get("length_penalty").doubleValue() : 1.0,
        s.has("early_stopping") && s.get("early_stopping").booleanValue(),
        s.has("no_repeat_ngram_size") ? s.get("no_repeat_ngram_size").intValue() : 0,
        s.has("repetition_penalty") ? s.get("repetition_penalty").doubleValue() : 1.0, base.maxPositions());
  }

  /** transformers' output without the decoder start token and the final eos, as the Generator returns it. */
  static int[] body(JsonNode output, ModelConfig config) {
    int[] ids = new int[output.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = output.get(i).intValue();
    }
    int end = ids.length > 1 && config.eosIds().contains(ids[ids.length - 1]) ? ids.length - 1 : ids.length;
    return Arrays.copyOfRange(ids, 1, end);
  }

  @ParameterizedTest
  @MethodSource("fp32")
  void theEngineEncodesSentencesAsThePythonTokenizerDoes(String model, TinyExports.Graphs graphs) throws Exception {
    try (TranslationModel m = load(model, graphs)) {
      for (var lang : (Iterable<String>) () -> expected.get(model).get("inputs").fieldNames()) {
        long[][] want = inputs(model, lang);
        List<String> s = sentences(lang);
        for (int i = 0; i < want.length; i++) {
          assertThat(m.translator().codec().encode(s.get(i), new Language(lang))).as(s.get(i)).isEqualTo(want[i]);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("fp32")
  void greedyAndBeamSearchReproduceTransformersGenerateOneByOneAndInABatch(String model, TinyExports.Graphs graphs)
      throws Exception {
    int compared = 0;
    try (TranslationModel m = load(model, graphs)) {
      for (var lang : (Iterable<String>) () -> expected.get(model).get("cases").fieldNames()) {
        long[][] sources = inputs(model, lang);
        for (JsonNode c : expected.get(model).get("cases").get(lang)) {
          JsonNode s = c.get("settings");
          ModelConfig config = configFor(m.translator().config(), s);
          Generator generator = new Generator(m.onnx(), config);
          Optional<Integer> forced = s.has("forced_bos_token_id")
              ? Optional.of(s.get("forced_bos_token_id").intValue()) : Optional.empty();
          List<int[]> batch = config.numBeams() == 1 ? generator.greedy(sources, forced, Generator.StepObserver.NONE)
              : generator.beam(sources, config.numBeams(), config.earlyStopping(), forced);
          for (int i = 0; i < sources.length; i++) {
            int[] want = body(c.get("outputs").get(i), config);
            long[][] one = {sources[i]};
            int[] alone = config.numBeams() == 1 ? generator.greedy(one, forced, Generator.StepObserver.NONE).getFirst()
                : generator.beam(one, config.numBeams(), config.earlyStopping(), forced).getFirst();
            assertThat(alone).as(model + " " + graphs + " " + lang + " #" + i + " " + s).isEqualTo(want);
            assertThat(batch.get(i)).as("in a batch: " + model + " " + graphs + " " + lang + " #" + i + " " + s)
                .isEqualTo(want);
            compared++;
          }
        }
      }
    }
    assertThat(compared).isGreaterThanOrEqualTo(15);
  }

  @ParameterizedTest
  @MethodSource("all")
  void cachedDecodingMatchesFullRecompute(String model, TinyExports.Graphs graphs) throws Exception {
    try (TranslationModel m = load(model, graphs)) {
      String lang = model.equals("marian") ? "ja" : "ko";
      long[][] sources = inputs(model, lang);
      double drift = MarianInvariantsTest.cacheDrift(m, sources);
      double scale = 0;
      for (float v : largestStep(m, sources)) {
        scale = Math.max(scale, Math.abs(v));
      }
      // Int8 graphs quantize activations per call, over the whole tensor: a step of one token and a
      // recomputed prefix are quantized with different scales, so they agree only roughly (these
      // random 8-wide models, whose weights are 50 times larger than trained ones, drift by up to a
      // fifth of the logits' range). The fp32 graphs of the same weights must agree exactly.
      boolean quantized = graphs.name().endsWith("QUANTIZED");
      System.out.printf("%s %s: cached vs recomputed logits differ by at most %.2g (largest logit %.1f)%n", model,
          graphs, drift, scale);
      assertThat(drift / scale).as(model + " " + graphs).isLessThan(quantized ? 0.3 : 1e-5);
    }
  }

  /** The logits of the first decoding step. */
  static float[] largestStep(TranslationModel m, long[][] sources) throws Exception {
    List<float[]> steps = new ArrayList<>();
    new Generator(m.onnx(), m.translator().config()).greedy(sources, (step, logits) -> steps.add(logits.values()));
    return steps.getFirst();
  }

  @ParameterizedTest
  @MethodSource("all")
  void theTargetLanguageTokenIsAlwaysTheFirstOutputOfAMultilingualModel(String model, TinyExports.Graphs graphs)
      throws Exception {
    try (TranslationModel m = load(model, graphs)) {
      Translator t = m.translator();
      Optional<Integer> forced = t.codec().forcedFirstToken(Language.EN);
      if (model.equals("marian")) {
        assertThat(forced).isEmpty();
        return;
      }
      TokenizerCodec codec = (TokenizerCodec) t.codec();
      assertThat(forced).contains(codec.languageId(Language.EN));
      Generator generator = new Generator(m.onnx(), t.config());
      for (Language target : List.of(Language.EN, Language.KO, new Language("fr"))) {
        long[][] sources = inputs(model, "ja");
        int id = codec.languageId(target);
        assertThat(generator.greedy(sources, Optional.of(id), Generator.StepObserver.NONE))
            .allSatisfy(out -> assertThat(out[0]).isEqualTo(id));
        assertThat(generator.beam(sources, 3, false, Optional.of(id)))
            .allSatisfy(out -> assertThat(out[0]).isEqualTo(id));
      }
    }
  }

  @Test
  void theMergedAndSplitLayoutsGiveTheSameOutputForTheSameWeights() throws Exception {
    for (boolean quantized : List.of(false, true)) {
      try (TranslationModel merged = load("m2m100", quantized ? TinyExports.Graphs.MERGED_QUANTIZED
          : TinyExports.Graphs.MERGED);
          TranslationModel split = load("m2m100", quantized ? TinyExports.Graphs.SPLIT_QUANTIZED
              : TinyExports.Graphs.SPLIT)) {
        assertThat(merged.onnx().layout()).isEqualTo(Seq2SeqOnnx.Layout.MERGED);
        assertThat(split.onnx().layout()).isEqualTo(Seq2SeqOnnx.Layout.SPLIT);
        assertThat(merged.onnx().geometry()).isEqualTo(split.onnx().geometry());
        for (String lang : List.of("ja", "ko")) {
          List<String> s = sentences(lang);
          assertThat(merged.translator().translateSentences(s, new Language(lang), Language.EN, 1))
              .isEqualTo(split.translator().translateSentences(s, new Language(lang), Language.EN, 1));
          assertThat(merged.translator().translateSentences(s, new Language(lang), Language.EN, 3))
              .isEqualTo(split.translator().translateSentences(s, new Language(lang), Language.EN, 3));
          Generator a = new Generator(merged.onnx(), merged.translator().config());
          Generator b = new Generator(split.onnx(), split.translator().config());
          long[][] sources = inputs("m2m100", lang);
          assertThat(a.greedy(sources, Optional.of(621), Generator.StepObserver.NONE))
              .containsExactlyElementsOf(b.greedy(sources, Optional.of(621), Generator.StepObserver.NONE));
        }
      }
    }
  }

  /**
   * Int8 graphs scale activations over the whole batch, so a batched sentence can decode differently
   * (on these models 2 of 5 do); the translator feeds such graphs one sentence at a time.
   */
  @ParameterizedTest
  @MethodSource("all")
  void aSentenceTranslatesTheSameWhateverSentencesSurroundIt(String model, TinyExports.Graphs graphs) throws Exception {
    try (TranslationModel m = load(model, graphs)) {
      assertThat(m.translator().batchesSentences()).isEqualTo(!graphs.name().endsWith("QUANTIZED"));
      Language from = model.equals("marian") ? Language.JA : Language.KO;
      List<String> s = sentences(from.code());
      for (int beams : List.of(1, 2)) {
        List<String> together = m.translator().translateSentences(s, from, Language.EN, beams);
        for (int i = 0; i < s.size(); i++) {
          assertThat(together.get(i)).isEqualTo(
              m.translator().translateSentences(List.of(s.get(i)), from, Language.EN, beams).getFirst());
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("all")
  void everyLayoutTranslatesDeterministically(String model, TinyExports.Graphs graphs) throws Exception {
    try (TranslationModel m = load(model, graphs)) {
      Language from = model.equals("marian") ? Language.JA : Language.KO;
      String text = String.join(" ", sentences(from.code())) + "\n\n" + sentences(from.code()).getFirst();
      String first = m.translator().translate(text, from, Language.EN, 1);
      assertThat(first.split("\n", -1)).hasSize(3);
      assertThat(first).isNotBlank();
      assertThat(m.translator().translate(text, from, Language.EN, 1)).isEqualTo(first);
      assertThat(m.translator().translate(text, from, Language.EN, 2)).isNotNull();
    }
  }
}
