package soko.engine.onnx.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import soko.engine.onnx.json.JsonFormatException;

/** Loading rules and behaviour the oracle files cannot show: refusals, control-token safety, the null charsmap. */
class TokenizerTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode tree(String name) throws Exception {
    return (ObjectNode) JSON.readTree(TokenizerOracleTest.gunzip(name + ".tokenizer.json.gz"));
  }

  static Tokenizer parse(ObjectNode tree) throws Exception {
    return Tokenizer.parse(JSON.writeValueAsBytes(tree), "tokenizer.json");
  }

  /** Both columns of the committed ja/ko sentence pairs. */
  static List<String> corpus() throws Exception {
    List<String> lines = new ArrayList<>();
    for (String file : List.of("ja-en.tsv", "ko-en.tsv")) {
      try (var in = TokenizerTest.class.getResourceAsStream("/soko/engine/onnx/marian/" + file)) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (!line.startsWith("#") && !line.isBlank()) {
            lines.addAll(List.of(line.split("\t")));
          }
        }
      }
    }
    return lines;
  }

  @Test
  void anUnknownComponentIsRefusedNamingItsPointer() throws Exception {
    ObjectNode t = tree("nllb");
    ((ObjectNode) t.get("normalizer").get("normalizers").get(0)).put("type", "BertNormalizer");
    assertThatThrownBy(() -> parse(t)).isInstanceOf(JsonFormatException.class)
        .hasMessage("tokenizer.json /normalizer/normalizers/0/type: \"BertNormalizer\" is not a supported normalizer;"
            + " Soko supports Sequence, Precompiled, NFC, NFD, NFKC, NFKD, Lowercase, Strip, Prepend and Replace");
    ObjectNode u = tree("nllb");
    ((ObjectNode) u.get("model")).put("type", "WordPiece");
    assertThatThrownBy(() -> parse(u)).hasMessage("tokenizer.json /model/type: \"WordPiece\" is not a supported model;"
        + " Soko supports Unigram and BPE");
    ObjectNode v = tree("nllb");
    ((ObjectNode) v.get("pre_tokenizer")).put("type", "ByteLevel");
    assertThatThrownBy(() -> parse(v)).hasMessageStartingWith("tokenizer.json /pre_tokenizer/type: \"ByteLevel\"");
  }

  @Test
  void anUnknownMemberIsRefusedRatherThanIgnored() throws Exception {
    ObjectNode t = tree("m2m100");
    ((ObjectNode) t.get("pre_tokenizer")).put("lowercase", true);
    assertThatThrownBy(() -> parse(t)).hasMessageStartingWith(
        "tokenizer.json /pre_tokenizer/lowercase: unknown member \"lowercase\"; the members understood here are");
  }

  @Test
  void anAddedTokenWhoseDeclaredIdBelongsToAnotherTokenIsRefused() throws Exception {
    ObjectNode t = tree("m2m100");
    // added_tokens: <s>, <pad>, </s>, <unk>, then the languages in M2M100's order; ja is the 43rd.
    ((ObjectNode) t.get("added_tokens").get(46)).put("id", 5);
    assertThatThrownBy(() -> parse(t)).hasMessage("tokenizer.json /added_tokens/46/id: the token \"__ja__\" is"
        + " declared as id 5 but takes id 645 (its place in the model's vocabulary or in added_tokens), and the"
        + " declared id belongs to another token; the tokenizer.json is inconsistent");
    ObjectNode u = tree("m2m100");
    ((ObjectNode) u.get("added_tokens").get(2)).put("id", 7); // </s> is id 2 in the model's own vocabulary
    assertThatThrownBy(() -> parse(u)).hasMessageStartingWith("tokenizer.json /added_tokens/2/id: the token"
        + " \"</s>\" is declared as id 7 but takes id 2");
  }

  /** The Rust library renumbers such a token (and warns); the model was trained with the declared id. */
  @Test
  void anAddedTokenKeepsAFreeDeclaredIdWhereTheRustLibraryWouldRenumberIt() throws Exception {
    ObjectNode t = tree("m2m100");
    ((ObjectNode) t.get("added_tokens").get(46)).put("id", 9999);
    Tokenizer tokenizer = parse(t);
    assertThat(tokenizer.tokenToId("__ja__")).hasValue(9999);
    assertThat(tokenizer.idToToken(9999)).contains("__ja__");
    assertThat(tokenizer.encode("x __ja__", false, false).ids()).endsWith(9999);
    assertThat(tokenizer.tokenToId("__jv__")).hasValue(646);
  }

  @Test
  void randomBpeDropoutIsRefused() throws Exception {
    ObjectNode t = tree("m2m100");
    ((ObjectNode) t.get("model")).put("dropout", 0.1);
    assertThatThrownBy(() -> parse(t)).hasMessage("tokenizer.json /model/dropout: BPE dropout makes tokenization"
        + " random; Soko runs models with dropout null");
  }

  @Test
  void aMergeOutsideTheVocabularyIsRefused() throws Exception {
    ObjectNode t = tree("m2m100");
    ((com.fasterxml.jackson.databind.node.ArrayNode) t.get("model").get("merges")).insertArray(0).add("猫").add("🦒");
    assertThatThrownBy(() -> parse(t)).hasMessage("tokenizer.json /model/merges/0: merges \"猫\" and \"🦒\", which are"
        + " not both in the vocabulary");
    ((com.fasterxml.jackson.databind.node.ArrayNode) t.get("model").get("merges")).remove(0);
    ((com.fasterxml.jackson.databind.node.ArrayNode) t.get("model").get("merges")).insertArray(0).add("猫").add("犬");
    assertThatThrownBy(() -> parse(t)).hasMessage("tokenizer.json /model/merges/0: the merge makes \"猫犬\", which is"
        + " not in the vocabulary");
  }

  @Test
  void brokenJsonIsRefusedWithWhereItBreaks() {
    assertThatThrownBy(() -> Tokenizer.parse("{\"model\": {\"type\": \"BPE\",}}".getBytes(StandardCharsets.UTF_8), "t.json"))
        .isInstanceOf(JsonFormatException.class)
        .hasMessage("t.json /: not valid JSON at line 1, column 26: unexpected '}' where a member name was expected");
    assertThatThrownBy(() -> Tokenizer.parse("{\"a\": 1, \"a\": 2}".getBytes(StandardCharsets.UTF_8), "t.json"))
        .hasMessageContaining("the member \"a\" appears twice in one object");
    assertThatThrownBy(() -> Tokenizer.parse(new byte[] {'"', (byte) 0xC3, '"'}, "t.json"))
        .hasMessage("t.json /: the file is not valid UTF-8 text, so it is not JSON");
    assertThatThrownBy(() -> Tokenizer.parse("[".repeat(100).getBytes(StandardCharsets.UTF_8), "t.json"))
        .hasMessageContaining("the document nests deeper than 64 levels");
    assertThatThrownBy(() -> Tokenizer.parse("\"\\ud800\"".getBytes(StandardCharsets.UTF_8), "t.json"))
        .hasMessageContaining("a \\u escape holds a lone surrogate");
  }

  @Test
  void aBrokenCharsmapIsRefused() throws Exception {
    ObjectNode t = tree("marian-ja");
    ((ObjectNode) t.get("normalizer")).put("precompiled_charsmap", "AAAA");
    assertThatThrownBy(() -> parse(t)).hasMessageStartingWith("tokenizer.json /normalizer/precompiled_charsmap: the"
        + " normalisation map is truncated");
    ((ObjectNode) t.get("normalizer")).put("precompiled_charsmap", "not base64!");
    assertThatThrownBy(() -> parse(t)).hasMessageStartingWith("tokenizer.json /normalizer/precompiled_charsmap: is"
        + " not base64");
  }

  @Test
  void specialTokensInTheTextCanBeReadAsPlainText() throws Exception {
    Tokenizer t = parse(tree("m2m100"));
    int en = t.tokenToId("__en__").orElseThrow();
    int eos = t.tokenToId("</s>").orElseThrow();
    int[] injected = t.encode("__en__ hi </s>", false, false).ids();
    int[] plain = t.encode("__en__ hi </s>", false, true).ids();
    assertThat(injected).contains(en, eos);
    assertThat(plain).doesNotContain(en, eos);
  }

  @Test
  void theTemplateNamesTheSpecialTokensAroundTheText() throws Exception {
    Tokenizer t = parse(tree("m2m100"));
    assertThat(t.template()).contains(List.of("__en__", "$A", "</s>"));
    assertThat(t.templateIds("</s>")).containsExactly(2);
    assertThat(parse(tree("marian-ja")).template()).contains(List.of("$A", "</s>"));
    assertThat(parse(tree("unigram-bytes")).template()).isEmpty();
  }

  @Test
  void aModelWithoutAnUnknownTokenCannotEncodeAnUnknownCharacter() throws Exception {
    ObjectNode t = tree("marian-ja");
    ((ObjectNode) t.get("model")).putNull("unk_id");
    Tokenizer tokenizer = parse(t);
    assertThatThrownBy(() -> tokenizer.encode("猫🦒", false, true)).isInstanceOf(TokenizationException.class)
        .hasMessage("the tokenizer has no unknown token and no piece for \"🦒\"");
  }

  /**
   * Xenova's OPUS-MT exports write {@code "precompiled_charsmap": null}. Soko then approximates the
   * nmt_nfkc rules as Transformers.js does; on ordinary sentences the approximation must give the
   * same ids as the real rules, and over all test strings it differs on some (printed).
   */
  @Test
  void aNullCharsmapIsApproximatedAndAgreesWithTheRealRulesOnOrdinaryText() throws Exception {
    Tokenizer real = parse(tree("marian-ja"));
    ObjectNode t = tree("marian-ja");
    ((ObjectNode) t.get("normalizer")).putNull("precompiled_charsmap");
    Tokenizer approximate = parse(t);
    assertThat(approximate.approximatesNormalizer()).isTrue();
    assertThat(real.approximatesNormalizer()).isFalse();
    List<String> corpus = corpus();
    for (String line : corpus) {
      assertThat(approximate.encode(line, true, true).ids()).as(line).isEqualTo(real.encode(line, true, true).ids());
    }
    int differ = 0;
    List<String> all = new ArrayList<>();
    JSON.readTree(TokenizerOracleTest.gunzip("strings.json.gz")).forEach(n -> all.add(n.textValue()));
    for (String s : all) {
      if (!java.util.Arrays.equals(approximate.encode(s, true, true).ids(), real.encode(s, true, true).ids())) {
        differ++;
      }
    }
    System.out.printf("null charsmap approximation: same ids as the real nmt_nfkc rules on %d of %d corpus lines"
        + " and %d of %d test strings%n", corpus.size(), corpus.size(), all.size() - differ, all.size());
  }
}
