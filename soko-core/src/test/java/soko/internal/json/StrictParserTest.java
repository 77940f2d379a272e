package soko.internal.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Soko's own JSON reader and writer against Jackson, configured as Soko's reader was before it
 * (strict duplicates, depth 32, numbers of at most 40 characters, no trailing tokens), as the
 * oracle: the same trees for valid documents, a refusal for invalid ones, and byte-identical text.
 */
class StrictParserTest {
  private static final ObjectMapper ORACLE = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Json.MAX_DEPTH)
          .maxStringLength(StrictParser.MAX_STRING_LENGTH).maxNumberLength(StrictParser.MAX_NUMBER_LENGTH).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private static final List<String> VALID = List.of(
      "{}", "[]", "0", "-0", "\"\"", "true", "false", "null", " \n\t\r{ } ",
      "{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":{\"e\":true,\"f\":false}}",
      "{\"n\":[0,-1,12345678901234567890123456789,1.5,-2.25e-3,1E10,6.02e+23]}",
      "{\"s\":\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\u65e5 \\ud83d\\ude00\"}",
      "{\"日本語\":\"音声認識\",\"한국어\":\"번역\",\"emoji\":\"\uD83D\uDE00\",\"del\":\"\u007f\"}",
      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
      "{\"schemaVersion\": 1,\n  \"name\": \"whisper-base\",\n  \"files\": [\n    {\"path\": \"a/b.bin\", \"size\": 148897792}\n  ]\n}\n");

  private static final List<String> INVALID = List.of(
      "", " ", "{", "}", "[", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "[01]", "[1.]", "[.5]",
      "[-]", "[+1]", "[1e]", "[1e+]", "[NaN]", "[Infinity]", "[tru]", "[truex]", "[nul]", "{\"a\":1}x",
      "{\"a\":1}{}", "[\"a\nb\"]", "[\"\\x\"]", "[\"\\u12\"]", "[\"abc]", "{\"a\":1,\"a\":2}", "/* c */{}",
      "[1 2]", "[\"\\", "[" + "1".repeat(41) + "]", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");

  @Test
  void validDocumentsGiveTheOraclesTrees() throws Exception {
    for (String doc : VALID) {
      byte[] bytes = doc.getBytes(UTF_8);
      assertThat(StrictParser.parse(bytes)).as(doc).isEqualTo(ORACLE.readTree(bytes));
    }
  }

  @Test
  void invalidDocumentsAreRefusedLikeTheOracleRefusesThem() {
    for (String doc : INVALID) {
      byte[] bytes = doc.getBytes(UTF_8);
      assertThat(oracleAccepts(bytes)).as("oracle on %s", doc).isFalse();
      assertThatThrownBy(() -> Json.parse(bytes, 1 << 20, "document")).as(doc).isInstanceOf(JsonProblem.class)
          .hasMessageStartingWith("/: the document ");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"[\"\u00ff\"]", "[\"\u0800\"]", "[\"\uD800\uDC00\"]"})
  void malformedUtf8IsRefused(String doc) {
    byte[] good = doc.getBytes(UTF_8);
    List<byte[]> bad = new ArrayList<>();
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 3); // ends inside the sequence
    bad.add(cut);
    byte[] continuation = good.clone();
    continuation[3] = 0x41; // a continuation byte replaced by ASCII
    bad.add(continuation);
    bad.add(new byte[] {'[', '"', (byte) 0xc0, (byte) 0xaf, '"', ']'}); // overlong '/'
    bad.add(new byte[] {'[', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', ']'}); // an encoded surrogate
    bad.add(new byte[] {'[', '"', (byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80, '"', ']'}); // past U+10FFFF
    bad.add(new byte[] {'[', '"', (byte) 0xff, '"', ']'});
    for (byte[] b : bad) {
      assertThatThrownBy(() -> StrictParser.parse(b)).isInstanceOf(StrictParser.SyntaxError.class);
    }
  }

  @Test
  void errorsSayWhereAndWhat() {
    assertThatThrownBy(() -> Json.parse("{\n  \"a\": 1,\n  \"a\": 2\n}".getBytes(UTF_8), 100, "manifest"))
        .hasMessage("/: the manifest is not valid JSON at line 3, column 3: duplicate field \"a\"");
    assertThatThrownBy(() -> Json.parse("[".repeat(40).getBytes(UTF_8), 100, "catalog"))
        .hasMessage("/: the catalog breaks a limit: nesting depth (33) exceeds the maximum allowed (32)");
    assertThatThrownBy(() -> Json.parse(" \n ".getBytes(UTF_8), 100, "record"))
        .hasMessage("/: the record is empty; expected a JSON object");
  }

  @Test
  void aDuplicateFieldIsReportedWhereItsNameIs() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":[\n1]}".getBytes(UTF_8), 100, "manifest"))
        .hasMessage("/: the manifest is not valid JSON at line 1, column 8: duplicate field \"a\"");
    assertThatThrownBy(() -> Json.parse("{\n  \"files\": [\n    1\n  ],\n  \"files\": [\n    2\n  ]\n}".getBytes(UTF_8), 100,
        "manifest")).hasMessage("/: the manifest is not valid JSON at line 5, column 3: duplicate field \"files\"");
  }

  @Test
  void oneLeadingByteOrderMarkIsSkippedAsTheOracleSkipsIt() throws Exception {
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '"', 'a', '"', ':', '1', '}'};
    assertThat(StrictParser.parse(bom)).isEqualTo(ORACLE.readTree(bom));
    byte[] twice = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, (byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'};
    assertThatThrownBy(() -> StrictParser.parse(twice)).isInstanceOf(StrictParser.SyntaxError.class)
        .hasMessageStartingWith("at line 1, column 1:");
  }

  @Test
  void unpairedSurrogatesAreEscapedSoThatTextSurvivesUtf8() throws Exception {
    var tree = Json.object().put("d", "x\ud800 y\udc00 z\ud83d\ude00");
    byte[] written = Json.write(tree);
    assertThat(new String(written, UTF_8)).contains("x\\uD800 y\\uDC00 z\ud83d\ude00");
    assertThat(StrictParser.parse(written)).isEqualTo(tree);
    assertThat(StrictParser.parse(Json.writeLine(tree).getBytes(UTF_8))).isEqualTo(tree);
  }

  /**
   * Damaged copies of the valid documents: where the oracle accepts, the trees are equal; where
   * it refuses, so does Soko. Soko is stricter in two places, both checked: malformed UTF-8
   * (which Jackson passes through in some positions) and numbers too large for a double.
   */
  @Test
  void damagedDocumentsAgreeWithTheOracle() throws Exception {
    Random random = new Random(20261129);
    int accepted = 0;
    int refused = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] b = VALID.get(random.nextInt(VALID.size())).getBytes(UTF_8);
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits && b.length > 0; e++) {
        int at = random.nextInt(b.length);
        switch (random.nextInt(4)) {
          case 0 -> b[at] = (byte) random.nextInt(256);
          case 1 -> b[at] = (byte) "{}[]\",:0123456789.eE+-tfn \\u".charAt(random.nextInt(27));
          case 2 -> b = java.util.Arrays.copyOf(b, at);
          default -> {
            byte[] longer = new byte[b.length + 1];
            System.arraycopy(b, 0, longer, 0, at);
            longer[at] = (byte) "{}[]\",:01.e-\\".charAt(random.nextInt(13));
            System.arraycopy(b, at, longer, at + 1, b.length - at);
            b = longer;
          }
        }
      }
      JsonNode mine;
      try {
        mine = StrictParser.parse(b);
      } catch (StrictParser.SyntaxError e) {
        mine = null;
      }
      JsonNode theirs = oracle(b);
      if (theirs != null && mine == null) {
        assertThat(!isUtf8(b) || hasInfiniteNumber(theirs)).as("refused what the oracle accepts: %s",
            new String(b, UTF_8)).isTrue();
        refused++;
      } else if (theirs == null) {
        assertThat(mine).as("accepted what the oracle refuses: %s", new String(b, UTF_8)).isNull();
        refused++;
      } else {
        assertThat(mine).as(new String(b, UTF_8)).isEqualTo(theirs);
        accepted++;
      }
    }
    assertThat(accepted).isGreaterThan(500);
    assertThat(refused).isGreaterThan(5_000);
  }

  @Test
  void writesWhatJacksonsPrettyPrinterWrote() throws Exception {
    var indenter = new DefaultIndenter("  ", "\n");
    var pretty = new DefaultPrettyPrinter(Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER).withObjectEmptySeparator("").withArrayEmptySeparator(""))
        .withObjectIndenter(indenter).withArrayIndenter(indenter);
    List<String> docs = new ArrayList<>(VALID);
    docs.add("{\"ctl\":\"\\u0000\\u0001\\u001f\\u007f \\b\\f\\n\\r\\t\",\"e\":{},\"a\":[],\"d\":[1.0E-5,0.1,100.0]}");
    for (String doc : docs) {
      JsonNode tree = ORACLE.readTree(doc);
      assertThat(new String(Json.write(tree), UTF_8)).as(doc).isEqualTo(ORACLE.writer(pretty).writeValueAsString(tree) + "\n");
      assertThat(Json.writeLine(tree)).as(doc).isEqualTo(ORACLE.writeValueAsString(tree));
      assertThat(StrictParser.parse(Json.write(tree))).isEqualTo(tree);
    }
  }

  private static boolean oracleAccepts(byte[] b) {
    return oracle(b) != null;
  }

  private static JsonNode oracle(byte[] b) {
    try {
      JsonNode n = ORACLE.readTree(b);
      return n == null || n.isMissingNode() ? null : n;
    } catch (Exception e) {
      return null;
    }
  }

  private static boolean isUtf8(byte[] b) {
    try {
      UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static boolean hasInfiniteNumber(JsonNode n) {
    if (n.isDouble() && Double.isInfinite(n.doubleValue())) {
      return true;
    }
    for (JsonNode child : n) {
      if (hasInfiniteNumber(child)) {
        return true;
      }
    }
    return false;
  }
}
