package soko.engine.onnx.translation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import soko.manifest.Language;

/**
 * Decoding invariants on random-weight models with the exact Optimum contract. Random weights give
 * meaningless tokens, so these tests compare the engine with itself: cached against full recompute,
 * batched against single, beam against greedy.
 */
class MarianInvariantsTest {
  static final List<String> SENTENCES = List.of("猫が窓のそばで寝ています。", "駅はどこですか。",
      "この本はとても面白いです。明日、東京に行きます。", "水");

  @TempDir
  Path dir;

  static Stream<Arguments> geometries() {
    return Stream.of(
        Arguments.of(new TinyMarian.Geometry(300, 16, 2, 32, 2, 2, 64, 1, 0, 0, false)),
        Arguments.of(new TinyMarian.Geometry(520, 24, 3, 48, 1, 3, 64, 2, 0, 0, false)),
        Arguments.of(new TinyMarian.Geometry(128, 8, 1, 16, 3, 1, 64, 3, 0, 0, false)),
        Arguments.of(new TinyMarian.Geometry(540, 32, 4, 64, 2, 2, 96, 4, 0, 0, false)));
  }

  TranslationModel load(TinyModelDir.Options options) throws Exception {
    Map<String, Path> files = TinyModelDir.write(dir, options);
    return TranslationModel.load(TestOrt.environment(), files, 1);
  }

  long[][] sources(TranslationModel m, List<String> sentences) throws Exception {
    // Token ids through the real tokenizer path, without sentence splitting.
    List<long[]> out = new ArrayList<>();
    for (String s : sentences) {
      out.add(textOf(m).encode(s, Language.JA));
    }
    return out.toArray(long[][]::new);
  }

  static TextCodec textOf(TranslationModel m) {
    return m.translator().codec();
  }

  /** The largest difference between cached logits and logits recomputed from the whole prefix, over all steps. */
  static double cacheDrift(TranslationModel m, long[][] sources) throws Exception {
    ModelConfig config = m.translator().config();
    Generator generator = new Generator(m.onnx(), config);
    List<Seq2SeqOnnx.Logits> steps = new ArrayList<>();
    List<int[]> outputs = generator.greedy(sources, (step, logits) -> steps.add(logits));
    double drift = 0;
    try (Seq2SeqOnnx.Encoded enc = m.onnx().encode(sources)) {
      for (int step = 0; step < steps.size(); step++) {
        long[][] prefixes = new long[sources.length][step + 1];
        for (int b = 0; b < sources.length; b++) {
          prefixes[b][0] = config.decoderStartId();
          for (int t = 1; t <= step; t++) {
            int[] out = outputs.get(b);
            prefixes[b][t] = t - 1 < out.length ? out[t - 1] : config.padId();
          }
        }
        Seq2SeqOnnx.Started full = m.onnx().firstStep(enc, prefixes);
        full.cache().close();
        for (int b = 0; b < sources.length; b++) {
          if (step > outputs.get(b).length) {
            continue; // the row had finished; its later inputs are padding
          }
          for (int v = 0; v < full.logits().vocab(); v++) {
            drift = Math.max(drift, Math.abs(full.logits().at(b, step, v) - steps.get(step).at(b, 0, v)));
          }
        }
      }
    }
    return drift;
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void geometryIsReadFromTheModelFiles(TinyMarian.Geometry g) throws Exception {
    try (TranslationModel m = load(TinyModelDir.Options.of(g))) {
      assertThat(m.onnx().geometry())
          .isEqualTo(new Seq2SeqOnnx.Geometry(g.decoderLayers(), g.heads(), g.headDim(), g.dModel(), g.vocab()));
    }
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void cachedDecodingMatchesFullRecomputeAtEveryStep(TinyMarian.Geometry g) throws Exception {
    try (TranslationModel m = load(TinyModelDir.Options.of(g).withMaxLength(10))) {
      assertThat(cacheDrift(m, sources(m, SENTENCES))).isLessThan(1e-4);
    }
  }

  @Test
  void aModelWhoseCachedBranchIsWrongFailsTheCacheInvariant() throws Exception {
    TinyMarian.Geometry broken = TinyMarian.Geometry.small(300).withBrokenCache();
    try (TranslationModel m = load(TinyModelDir.Options.of(broken).withMaxLength(10))) {
      assertThat(cacheDrift(m, sources(m, SENTENCES))).isGreaterThan(1e-2);
    }
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void aPaddedBatchDecodesLikeEachSentenceAlone(TinyMarian.Geometry g) throws Exception {
    try (TranslationModel m = load(TinyModelDir.Options.of(g.withBiases(3, 0)))) {
      Generator generator = new Generator(m.onnx(), m.translator().config());
      long[][] batch = sources(m, SENTENCES);
      List<int[]> together = generator.greedy(batch, Generator.StepObserver.NONE);
      List<int[]> beamTogether = generator.beam(batch, 3, false);
      for (int i = 0; i < batch.length; i++) {
        long[][] alone = {batch[i]};
        assertThat(together.get(i)).isEqualTo(generator.greedy(alone, Generator.StepObserver.NONE).getFirst());
        assertThat(beamTogether.get(i)).isEqualTo(generator.beam(alone, 3, false).getFirst());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void beamSearchWithOneBeamIsGreedy(TinyMarian.Geometry g) throws Exception {
    try (TranslationModel m = load(TinyModelDir.Options.of(g.withBiases(2, 0)).withMaxLength(16))) {
      Generator generator = new Generator(m.onnx(), m.translator().config());
      long[][] batch = sources(m, SENTENCES);
      assertThat(generator.beam(batch, 1, true)).containsExactlyElementsOf(
          generator.greedy(batch, Generator.StepObserver.NONE));
    }
  }

  @Test
  void translationIsDeterministicAcrossRunsAndSessions() throws Exception {
    TinyModelDir.Options o = TinyModelDir.Options.of(TinyMarian.Geometry.small(300));
    String text = "猫が窓のそばで寝ています。駅はどこですか。";
    try (TranslationModel a = load(o)) {
      String first = a.translator().translate(text, Language.JA, Language.EN, 1);
      String beam = a.translator().translate(text, Language.JA, Language.EN, 3);
      assertThat(a.translator().translate(text, Language.JA, Language.EN, 1)).isEqualTo(first);
      assertThat(a.translator().translate(text, Language.JA, Language.EN, 3)).isEqualTo(beam);
      try (TranslationModel b = TranslationModel.load(TestOrt.environment(), TinyModelDir.write(dir.resolve("again"), o), 2)) {
        assertThat(b.translator().translate(text, Language.JA, Language.EN, 1)).isEqualTo(first);
      }
    }
  }

  @Test
  void aModelThatAlwaysEndsAtOnceTranslatesToEmptyText() throws Exception {
    try (TranslationModel m = load(TinyModelDir.Options.of(TinyMarian.Geometry.small(300).withBiases(50, 0)))) {
      assertThat(new Generator(m.onnx(), m.translator().config()).greedy(sources(m, SENTENCES),
          Generator.StepObserver.NONE)).allSatisfy(out -> assertThat(out).isEmpty());
      assertThat(m.translator().translate("猫です。\n犬です。", Language.JA, Language.EN, 1)).isEqualTo("\n");
    }
  }

  @Test
  void thePadTokenIsNeverGeneratedEvenWhenTheModelPrefersIt() throws Exception {
    TinyMarian.Geometry g = TinyMarian.Geometry.small(300).withBiases(0, 50);
    try (TranslationModel m = load(TinyModelDir.Options.of(g))) {
      Generator generator = new Generator(m.onnx(), m.translator().config());
      long[][] batch = sources(m, SENTENCES);
      List<int[]> outputs = new ArrayList<>(generator.greedy(batch, Generator.StepObserver.NONE));
      outputs.addAll(generator.beam(batch, 2, false));
      assertThat(outputs).allSatisfy(out -> assertThat(out).isNotEmpty().doesNotContain(g.vocab() - 1));
    }
  }

  @Test
  void aModelThatNeverEndsStopsAtMaxLength() throws Exception {
    TinyMarian.Geometry g = TinyMarian.Geometry.small(300).withBiases(-50, 0);
    try (TranslationModel m = load(TinyModelDir.Options.of(g).withMaxLength(9))) {
      Generator generator = new Generator(m.onnx(), m.translator().config());
      long[][] batch = sources(m, SENTENCES);
      assertThat(generator.greedy(batch, Generator.StepObserver.NONE)).allSatisfy(out -> assertThat(out).hasSize(8));
      assertThat(generator.beam(batch, 2, false)).allSatisfy(out -> assertThat(out).hasSize(8));
    }
  }

  @Test
  void aForcedEosTakesTheLastPosition() throws Exception {
    TinyMarian.Geometry g = TinyMarian.Geometry.small(300).withBiases(-50, 0);
    try (TranslationModel m = load(TinyModelDir.Options.of(g).withMaxLength(9).withForcedEos())) {
      Generator generator = new Generator(m.onnx(), m.translator().config());
      long[][] batch = sources(m, SENTENCES);
      assertThat(generator.greedy(batch, Generator.StepObserver.NONE)).allSatisfy(out -> assertThat(out).hasSize(7));
      assertThat(generator.beam(batch, 2, false)).allSatisfy(out -> assertThat(out).hasSize(7));
    }
  }

  @Test
  void inputLongerThanTheEncoderAcceptsIsTranslatedInPieces() throws Exception {
    try (TranslationModel m = load(TinyModelDir.Options.of(TinyMarian.Geometry.small(300)).withMaxLength(4))) {
      String longSentence = "猫が窓のそばで寝ています".repeat(30);
      assertThat(textOf(m).encode(longSentence, Language.JA).length).isGreaterThan(64);
      assertThat(m.translator().translateSentences(List.of(longSentence), Language.JA, Language.EN, 1).getFirst()).isNotEmpty();
    }
  }
}
