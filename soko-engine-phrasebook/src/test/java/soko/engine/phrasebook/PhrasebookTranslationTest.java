package soko.engine.phrasebook;

import static org.assertj.core.api.Assertions.assertThat;
import static soko.engine.phrasebook.PhrasebookModels.tsv;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import soko.manifest.Language;
import soko.runtime.EngineException;
import soko.runtime.TranslationSession;

/** What the phrasebook makes of text: small phrase lists written here, and the bundled data for known phrases. */
class PhrasebookTranslationTest {
  @TempDir
  Path dir;

  private String ja(String text, String... phrases) throws Exception {
    try (TranslationSession s = PhrasebookModels.open(
        PhrasebookModels.custom(dir, Map.of("phrasebook-ja-en.tsv", tsv(phrases))), dir)) {
      return s.translate(text, Language.JA, Language.EN);
    }
  }

  private String ko(String text, String... phrases) throws Exception {
    try (TranslationSession s = PhrasebookModels.open(
        PhrasebookModels.custom(dir, Map.of("phrasebook-ko-en.tsv", tsv(phrases))), dir)) {
      return s.translate(text, Language.KO, Language.EN);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      おはようございます | Good morning
      ありがとうございます | Thank you
      トイレはどこですか | Where is the toilet?
      いくらですか | How much is it?
      救急車を呼んでください | Please call an ambulance
      안녕하세요 | Hello
      감사합니다 | Thank you
      얼마예요 | How much is it?
      경찰을 불러 주세요 | Please call the police
      """)
  void bundledPhrasebookTranslatesKnownPhrases(String source, String english, @TempDir Path tmp) throws Exception {
    Language from = source.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL)
        ? Language.KO : Language.JA;
    try (TranslationSession s = PhrasebookModels.open(PhrasebookModels.bundled(tmp), tmp)) {
      assertThat(s.translate(source, from, Language.EN)).isEqualTo(english);
    }
  }

  @Test
  void bundledPhrasebookTranslatesASentenceMadeOfSeveralPhrases() throws Exception {
    try (TranslationSession s = PhrasebookModels.open(PhrasebookModels.bundled(dir), dir)) {
      assertThat(s.translate("すみません、駅はどこですか？", Language.JA, Language.EN))
          .isEqualTo("Excuse me, where is the station?");
      assertThat(s.translate("ごめんなさい、日本語がわかりません。", Language.JA, Language.EN))
          .isEqualTo("I'm sorry, I don't understand Japanese.");
      assertThat(s.translate("안녕하세요. 화장실이 어디예요?", Language.KO, Language.EN))
          .isEqualTo("Hello. Where is the restroom?");
    }
  }

  @Test
  void phrasesFollowingEachOtherAreJoinedWithSpaces() throws Exception {
    assertThat(ja("コーヒーをください", "コーヒー", "coffee", "をください", "please")).isEqualTo("Coffee please");
  }

  @Test
  void longestPhraseWinsOverItsShorterPrefix() throws Exception {
    String[] phrases = {"東京", "Tokyo", "東京駅", "Tokyo Station", "駅", "station"};
    assertThat(ja("東京駅", phrases)).isEqualTo("Tokyo Station");
    assertThat(ja("東京", phrases)).isEqualTo("Tokyo");
  }

  @Test
  void fullWidthAndHalfWidthFormsMatchTheUsualOnes() throws Exception {
    String[] phrases = {"スミマセン", "excuse me", "Wi-Fiはありますか", "is there Wi-Fi?", "円", "yen"};
    assertThat(ja("ｽﾐﾏｾﾝ", phrases)).isEqualTo("Excuse me");
    assertThat(ja("Ｗｉ－Ｆｉはありますか", phrases)).isEqualTo("Is there Wi-Fi?");
    assertThat(ja("５００円", phrases)).isEqualTo("500 yen");
  }

  @Test
  void unknownTextIsPassedThroughBetweenMarkers() throws Exception {
    assertThat(ja("田中さんはどこですか", "どこですか", "where is it?")).isEqualTo("⟨田中さんは⟩ where is it?");
  }

  @Test
  void neighbouringUnknownWordsShareOneMarker() throws Exception {
    assertThat(ko("나는 밥을 먹었다. 감사합니다", "감사합니다", "thank you")).isEqualTo("⟨나는 밥을 먹었다⟩. Thank you");
  }

  @Test
  void japanesePunctuationBecomesEnglishPunctuation() throws Exception {
    String[] phrases = {"ありがとう", "thanks", "すみません", "excuse me", "駅", "station", "本当", "really"};
    assertThat(ja("ありがとう。すみません、駅！本当？", phrases)).isEqualTo("Thanks. Excuse me, station! Really?");
    assertThat(ja("「ありがとう」", phrases)).isEqualTo("“Thanks”");
  }

  @Test
  void questionMarkOfAPhraseIsNotDoubled() throws Exception {
    String[] phrases = {"駅はどこですか", "where is the station?"};
    assertThat(ja("駅はどこですか？", phrases)).isEqualTo("Where is the station?");
    assertThat(ja("駅はどこですか。", phrases)).isEqualTo("Where is the station?");
  }

  @Test
  void eachSentenceStartsWithACapitalLetter() throws Exception {
    String[] phrases = {"おはよう", "good morning", "いい天気ですね", "nice weather, isn't it"};
    assertThat(ja("おはよう。いい天気ですね。おはよう", phrases)).isEqualTo("Good morning. Nice weather, isn't it. Good morning");
  }

  @Test
  void whiteSpaceIsTrimmedAndCollapsed() throws Exception {
    String[] phrases = {"おはようございます", "good morning", "駅", "station"};
    assertThat(ja("\u3000 駅 \t", phrases)).isEqualTo("Station");
    assertThat(ja("おはよう　ございます", phrases)).isEqualTo("Good morning");
    assertThat(ja("  \u3000 ", phrases)).isEmpty();
  }

  @Test
  void koreanPhraseMatchesWithAndWithoutSpaces() throws Exception {
    String[] phrases = {"만나서 반갑습니다", "nice to meet you"};
    assertThat(ko("만나서 반갑습니다", phrases)).isEqualTo("Nice to meet you");
    assertThat(ko("만나서반갑습니다", phrases)).isEqualTo("Nice to meet you");
    assertThat(ko("만나서 \u3000 반갑습니다", phrases)).isEqualTo("Nice to meet you");
  }

  @Test
  void koreanPhrasesWrittenTogetherAreBothFound() throws Exception {
    assertThat(ko("안녕하세요감사합니다", "안녕하세요", "hello", "감사합니다", "thank you")).isEqualTo("Hello thank you");
  }

  @Test
  void koreanOneSyllablePhraseMatchesOnlyAWholeWord() throws Exception {
    String[] phrases = {"물", "water", "이", "this", "화장실", "restroom", "주세요", "please"};
    assertThat(ko("물 주세요", phrases)).isEqualTo("Water please");
    assertThat(ko("물을 주세요", phrases)).isEqualTo("⟨물을⟩ please");
    assertThat(ko("화장실이", phrases)).as("the particle 이 is not 'this'").isEqualTo("Restroom ⟨이⟩");
    assertThat(ko("이상해요", phrases)).isEqualTo("⟨이상해요⟩");
  }

  @Test
  void koreanPhraseDoesNotStartInsideAnUnknownWord() throws Exception {
    assertThat(ko("아사과", "사과", "apple")).isEqualTo("⟨아사과⟩");
  }

  @Test
  void japanesePhraseIsFoundInsideUnknownText() throws Exception {
    assertThat(ja("あの駅", "駅", "station")).isEqualTo("⟨あの⟩ station");
  }

  @Test
  void numbersAreCopiedUnmarked() throws Exception {
    assertThat(ko("5,000원 3.5", "원", "won")).isEqualTo("5,000 won 3.5");
  }

  @Test
  void sessionIsSafeToShareBetweenThreads() throws Exception {
    try (TranslationSession s = PhrasebookModels.open(PhrasebookModels.bundled(dir), dir)) {
      List<String> inputs = List.of("すみません、駅はどこですか？", "안녕하세요. 화장실이 어디예요?", "田中さんはどこですか");
      List<String> expected = new ArrayList<>();
      for (String in : inputs) {
        expected.add(translate(s, in));
      }
      try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          results.add(pool.submit(() -> {
            List<String> out = new ArrayList<>();
            for (int round = 0; round < 200; round++) {
              for (String in : inputs) {
                out.add(translate(s, in));
              }
            }
            return out;
          }));
        }
        for (Future<List<String>> r : results) {
          List<String> out = r.get();
          for (int k = 0; k < out.size(); k++) {
            assertThat(out.get(k)).isEqualTo(expected.get(k % inputs.size()));
          }
        }
      }
    }
  }

  private static String translate(TranslationSession s, String text) throws EngineException {
    Language from = text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL)
        ? Language.KO : Language.JA;
    return s.translate(text, from, Language.EN);
  }
}
