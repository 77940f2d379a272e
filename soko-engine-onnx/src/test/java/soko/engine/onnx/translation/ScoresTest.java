package soko.engine.onnx.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScoresTest {
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
  void aShortHypothesisIsPenalisedForBrevity() {
    // 4 of 4 tokens match at every order, but the reference has 8: BP = exp(1 - 8/4).
    double bleu = Scores.bleu(List.of("the cat is sleeping"), List.of("the cat is sleeping by the open window"));
    assertThat(bleu).isCloseTo(100 * Math.exp(1 - 8.0 / 4), within(1e-9));
  }
}
