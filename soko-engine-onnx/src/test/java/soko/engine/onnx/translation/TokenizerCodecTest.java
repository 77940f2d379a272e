package soko.engine.onnx.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import soko.engine.onnx.tokenizer.Tokenizer;
import soko.manifest.Language;

/** The family conventions around the tokenizer: where language tokens go, unknown text, decoding. */
class TokenizerCodecTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode tree(String name) throws Exception {
    return (ObjectNode) JSON.readTree(TinyExports.resource("/soko/engine/onnx/tokenizer/" + name
        + ".tokenizer.json.gz", true));
  }

  static Tokenizer tokenizer(ObjectNode tree) throws Exception {
    return Tokenizer.parse(JSON.writeValueAsBytes(tree), "tokenizer.json");
  }

  static ModelConfig config(ModelConfig.Family family, int vocab, int pad, int eos, int start) {
    return new ModelConfig(family, vocab, pad, Set.of(eos), start, 20, 0, 1, List.of(), Optional.empty(),
        Optional.empty(), 1.0, false, 0, 1.0, 1024);
  }

  static TokenizerCodec.TokenizerConfig tc(String cls, boolean legacy, boolean cleanUp) {
    return new TokenizerCodec.TokenizerConfig(Optional.ofNullable(cls), legacy, cleanUp, "<unk>", "</s>");
  }

  static long[] concat(long first, int[] middle, long... last) {
    return java.util.stream.LongStream.concat(java.util.stream.LongStream.concat(java.util.stream.LongStream.of(first),
        IntStream.of(middle).asLongStream()), java.util.stream.LongStream.of(last)).toArray();
  }

  @Test
  void nllbPutsTheSourceLanguageFirstAndForcesTheTargetLanguage() throws Exception {
    Tokenizer t = tokenizer(tree("nllb"));
    TokenizerCodec codec = TokenizerCodec.create(t, config(ModelConfig.Family.M2M100, 700, 1, 2, 2),
        tc("NllbTokenizerFast", false, false));
    assertThat(codec.convention()).isEqualTo(TokenizerCodec.Convention.NLLB);
    int jpn = t.tokenToId("jpn_Jpan").orElseThrow();
    int kor = t.tokenToId("kor_Hang").orElseThrow();
    int[] text = t.encode("猫です", false, true).ids();
    assertThat(codec.encode("猫です", Language.JA)).isEqualTo(concat(jpn, text, 2));
    assertThat(codec.encode("猫です", Language.KO)).isEqualTo(concat(kor, text, 2));
    assertThat(codec.forcedFirstToken(Language.EN)).contains(t.tokenToId("eng_Latn").orElseThrow());
    assertThatThrownBy(() -> codec.forcedFirstToken(new Language("tlh")))
        .hasMessage("the model's tokenizer has no language token for tlh");
  }

  @Test
  void nllbsLegacyBehaviourPutsTheSourceLanguageLast() throws Exception {
    ObjectNode tree = tree("nllb");
    var single = (com.fasterxml.jackson.databind.node.ArrayNode) tree.get("post_processor").get("single");
    single.add(single.remove(0)); // [$A, </s>, jpn_Jpan]
    Tokenizer t = tokenizer(tree);
    TokenizerCodec codec = TokenizerCodec.create(t, config(ModelConfig.Family.M2M100, 700, 1, 2, 2),
        tc("NllbTokenizer", true, false));
    int jpn = t.tokenToId("jpn_Jpan").orElseThrow();
    int[] text = t.encode("猫", false, true).ids();
    long[] expected = java.util.stream.LongStream.concat(IntStream.of(text).asLongStream(),
        java.util.stream.LongStream.of(2, jpn)).toArray();
    assertThat(codec.encode("猫", Language.JA)).isEqualTo(expected);
    // The same file without legacy_behaviour contradicts its own template.
    assertThatThrownBy(() -> TokenizerCodec.create(t, config(ModelConfig.Family.M2M100, 700, 1, 2, 2),
        tc("NllbTokenizer", false, false))).isInstanceOf(ModelFormatException.class)
        .hasMessage("tokenizer.json's post-processor puts [$A, </s>, jpn_Jpan] around the text, but a nllb model"
            + " expects [xxx_Xxxx, $A, </s>]; the tokenizer is not this model's");
  }

  @Test
  void controlTokensWrittenInTheTextStayText() throws Exception {
    Tokenizer t = tokenizer(tree("m2m100"));
    TokenizerCodec codec = TokenizerCodec.create(t, config(ModelConfig.Family.M2M100, 703, 1, 2, 2),
        tc(null, false, false));
    long[] ids = codec.encode("__en__ hi </s> __ko__", Language.JA);
    long ja = t.tokenToId("__ja__").orElseThrow();
    assertThat(ids[0]).isEqualTo(ja);
    assertThat(ids[ids.length - 1]).isEqualTo(2);
    assertThat(java.util.Arrays.copyOfRange(ids, 1, ids.length - 1)).doesNotContain(2L, ja,
        (long) t.tokenToId("__en__").orElseThrow(), (long) t.tokenToId("__ko__").orElseThrow());
  }

  /**
   * Xenova's OPUS-MT tokenizer.json files name {@code "unk_id": 2} whatever the vocabulary, and
   * carry a null charsmap; unknown text must still reach the model as its {@code <unk>}.
   */
  @Test
  void unknownTextGetsTheUnknownTokenEvenWhenTheFileNamesAnotherPiece() throws Exception {
    ObjectNode tree = tree("marian-ja");
    ((ObjectNode) tree.get("model")).put("unk_id", 2);
    ((ObjectNode) tree.get("normalizer")).putNull("precompiled_charsmap");
    Tokenizer t = tokenizer(tree);
    assertThat(t.idToToken(2)).contains("\u2581");
    // With unk_id 2 the ▁ piece counts as unknown too, so "▁🦒" fuses into one token with id 2.
    assertThat(t.encode("🦒", false, true).ids()).containsExactly(2);
    TokenizerCodec codec = TokenizerCodec.create(t, config(ModelConfig.Family.MARIAN, 536, 535, 0, 535),
        tc("MarianTokenizer", false, false));
    assertThat(codec.approximatesNormalizer()).isTrue();
    int unk = t.tokenToId("<unk>").orElseThrow();
    assertThat(unk).isEqualTo(1);
    assertThat(codec.encode("🦒", Language.JA)).containsExactly(1, 0);
    assertThat(codec.encode("猫🦒です", Language.JA)).contains(1L).endsWith(0L);
  }

  @Test
  void decodingDropsSpecialTokensAndCleansUpSpacesWhenTheConfigSaysSo() throws Exception {
    Tokenizer t = tokenizer(tree("m2m100"));
    int en = t.tokenToId("__en__").orElseThrow();
    int[] hello = t.encode("Hello , world !", false, true).ids();
    int[] output = IntStream.concat(IntStream.of(en), IntStream.of(hello)).toArray();
    TokenizerCodec plain = TokenizerCodec.create(t, config(ModelConfig.Family.M2M100, 703, 1, 2, 2), tc(null, false, false));
    TokenizerCodec clean = TokenizerCodec.create(t, config(ModelConfig.Family.M2M100, 703, 1, 2, 2), tc(null, false, true));
    assertThat(plain.decode(output)).isEqualTo("Hello , world !");
    assertThat(clean.decode(output)).isEqualTo("Hello, world!");
  }

  @Test
  void anEosOrVocabularyThatDisagreesWithTheConfigIsRefused() throws Exception {
    Tokenizer t = tokenizer(tree("m2m100"));
    assertThatThrownBy(() -> TokenizerCodec.create(t, config(ModelConfig.Family.M2M100, 703, 1, 0, 2), tc(null, false, false)))
        .hasMessage("tokenizer.json's </s> is id 2 but config.json's eos token is id 0; the files are from different models");
    assertThatThrownBy(() -> TokenizerCodec.create(t, config(ModelConfig.Family.M2M100, 650, 1, 2, 2), tc(null, false, false)))
        .hasMessage("tokenizer.json has ids up to 702 but config.json's vocabulary has 650 entries; the files are from"
            + " different models");
  }
}
