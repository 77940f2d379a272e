package soko.engine.onnx.sentencepiece;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pure-Java tokenizer against the native SentencePiece library (through DJL) on the committed
 * models, over thousands of deterministic strings: pieces, ids and decoded text must all be equal.
 */
class SentencePieceOracleTest {
  static List<String> strings;

  @BeforeAll
  static void strings() throws Exception {
    // DJL extracts its native library into this folder, which surefire points at target/.
    System.setProperty("ENGINE_CACHE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "djl").toString());
    strings = TestStrings.generate(3000);
  }

  static byte[] resource(String name) throws Exception {
    try (InputStream in = SentencePieceOracleTest.class.getResourceAsStream("/soko/engine/onnx/sentencepiece/" + name)) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ja-nfkc.spm", "ko-nfkc.spm", "en-identity.spm", "ja-identity-raw.spm"})
  void matchesNativeSentencePieceOnEveryTestString(String modelName) throws Exception {
    byte[] bytes = resource(modelName);
    SentencePieceModel model = SentencePieceModel.parse(bytes);
    List<String> mismatches = new ArrayList<>();
    try (SpTokenizer tokenizer = new SpTokenizer(bytes)) {
      SpProcessor oracle = tokenizer.getProcessor();
      for (String s : strings) {
        List<String> expectedPieces = Arrays.asList(oracle.tokenize(s));
        int[] expectedIds = oracle.encode(s);
        List<String> pieces = model.encodeToPieces(s);
        int[] ids = model.encodeToIds(s);
        String decoded = model.decodeIds(ids);
        String expectedDecoded = oracle.decode(expectedIds);
        String decodedPieces = model.decodePieces(pieces);
        // DJL passes the pieces to native code in modified UTF-8, which garbles characters outside the
        // BMP and NUL, so only pieces free of them can be compared through buildSentence.
        String expectedDecodedPieces = oracleCanDecode(expectedPieces)
            ? oracle.buildSentence(expectedPieces.toArray(String[]::new))
            : decodedPieces;
        if (!pieces.equals(expectedPieces) || !Arrays.equals(ids, expectedIds) || !decoded.equals(expectedDecoded)
            || !decodedPieces.equals(expectedDecodedPieces)) {
          mismatches.add(escape(s) + "\n    java   " + pieces + " " + Arrays.toString(ids) + " '" + decoded + "'"
              + " pieces->'" + decodedPieces + "'\n    native " + expectedPieces + " " + Arrays.toString(expectedIds) + " '" + expectedDecoded + "' pieces->'" + expectedDecodedPieces + "'");
        }
      }
    }
    assertThat(strings).hasSizeGreaterThan(3000);
    assertThat(mismatches).as("strings tokenized differently from native SentencePiece").isEmpty();
  }

  static boolean oracleCanDecode(List<String> pieces) {
    return pieces.stream().allMatch(p -> p.codePoints().allMatch(c -> c != 0 && c < 0x10000));
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (c < 0x20 || (c >= 0x7f && c <= 0xa0)) {
        sb.append(String.format("\\u%04x", c));
      } else {
        sb.appendCodePoint(c);
      }
    });
    return sb.length() > 200 ? sb.substring(0, 200) + "…" : sb.toString();
  }
}
