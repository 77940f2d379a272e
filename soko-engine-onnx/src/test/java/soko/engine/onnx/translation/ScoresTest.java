package soko.engine.onnx.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScoresTest {
  /**
   * sacrebleu.json: the committed references with words dropped and swapped at random, and the
   * corpus BLEU and chrF that sacreBLEU 2.6 (corpus_bleu, corpus_chrf, defaults) gives them.
   */
  @Test
  void agreesWithSacreBleu() throws Exception {
    var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(getClass().getResourceAsStream("sacrebleu.json"));
    List<String> hyps = new java.util.ArrayList<>();
    List<String> refs = new java.util.ArrayList<>();
    n.get("hyps").forEach(x -> hyps.add(x.textValue()));
    n.get("refs").forEach(x -> refs.add(x.textValue()));
    assertThat(hyps).hasSize(106);
    assertThat(Scores.bleu(hyps, refs)).isCloseTo(n.get("bleu").doubleValue(), within(1e-9));
    assertThat(Scores.chrf(hyps, refs)).isCloseTo(n.get("chrf").doubleValue(), within(1e-9));
  }

  @Test
  void tokenizesLikeMteval13a() {
    assertThat(Scores.tokens("It costs $1,234.50 - or 3-4 times more (really)!"))
        .containsExactly("It", "costs", "$", "1,234.50", "-", "or", "3", "-", "4", "times", "more", "(", "really", ")",
            "!");
  }

  @Test
  void identicalTextScoresOneHundred() {
    List<String> refs = List.of("The cat is sleeping by the window.", "Where is the station?");
    assertThat(Scores.bleu(refs, refs)).isCloseTo(100, within(1e-9));
    assertThat(Scores.chrf(refs, refs)).isCloseTo(100, within(1e-9));
  }

  @Test
  void unrelatedTextScoresZeroBleu() {
    assertThat(Scores.bleu(List.of("xyz qqq"), List.of("The cat is sleeping by the window."))).isZero();
  }

  @Test
  void aCorpusShorterThanFourWordsScoresZeroAndAMissingOrderIsSmoothed() {
    // Values from sacreBLEU 2.6: a 3-word corpus has no 4-grams (0.0); "by"/"on" leaves no matching
    // 4-gram, which "exp" smoothing scores as 100 / (2 * 3) (37.99178428257963).
    assertThat(Scores.bleu(List.of("the cat sat"), List.of("the cat sat"))).isZero();
    assertThat(Scores.bleu(List.of("the cat sat on a mat"), List.of("the cat sat by a mat")))
        .isCloseTo(37.99178428257963, within(1e-9));
  }

  @Test
  void aShortHypothesisIsPenalisedForBrevity() {
    // 4 of 4 tokens match at every order, but the reference has 8: BP = exp(1 - 8/4).
    double bleu = Scores.bleu(List.of("the cat is sleeping"), List.of("the cat is sleeping by the open window"));
    assertThat(bleu).isCloseTo(100 * Math.exp(1 - 8.0 / 4), within(1e-9));
  }
}
