package soko.engine.onnx.translation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentencesTest {
  @Test
  void splitsJapaneseAfterSentenceEndsAndKeepsClosingQuotes() {
    assertThat(Sentences.sentences("猫です。犬です！本当？「はい。」と言った。")).containsExactly("猫です。", "犬です！",
        "本当？", "「はい。」と言った。");
  }

  @Test
  void splitsKoreanOnFullStopsFollowedBySpaceButNotInsideNumbers() {
    assertThat(Sentences.sentences("가격은 3.5달러예요. 정말요?  네!")).containsExactly("가격은 3.5달러예요.", "정말요?", "네!");
  }

  @Test
  void keepsLineBreaksAndBlankLines() {
    List<Sentences.Line> lines = Sentences.split("一。二。\r\n\n三");
    assertThat(lines).containsExactly(new Sentences.Line(List.of("一。", "二。"), "\r\n"),
        new Sentences.Line(List.of(), "\n"), new Sentences.Line(List.of("三"), ""));
  }

  @Test
  void runsOfTerminatorsStayWithTheirSentence() {
    assertThat(Sentences.sentences("えっ！？本当…。そう")).containsExactly("えっ！？", "本当…。", "そう");
  }
}
