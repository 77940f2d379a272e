package soko.engine.onnx.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java tokenizer against the Rust {@code tokenizers} library: for each committed tokenizer.json
 * and each of the committed test strings, the ids (with and without special tokens, and with special
 * tokens read as text) and the decoded text (with and without special tokens) must equal what the
 * library produced when {@code generate.py} ran; so must the text of random id sequences.
 */
class TokenizerOracleTest {
  static final String DIR = "/soko/engine/onnx/tokenizer/";
  static List<String> strings;

  static byte[] gunzip(String name) throws IOException {
    try (InputStream in = TokenizerOracleTest.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IOException(name + " is missing");
      }
      return new GZIPInputStream(in).readAllBytes();
    }
  }

  static Tokenizer load(String name) throws Exception {
    return Tokenizer.parse(gunzip(name + ".tokenizer.json.gz"), name + ".tokenizer.json");
  }

  @BeforeAll
  static void strings() throws Exception {
    JsonNode list = new ObjectMapper().readTree(gunzip("strings.json.gz"));
    strings = new ArrayList<>();
    list.forEach(n -> strings.add(n.textValue()));
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).intValue();
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"marian-ja", "m2m100", "nllb", "llama", "unigram-bytes", "subword"})
  void encodesAndDecodesExactlyAsTheRustLibrary(String name) throws Exception {
    Tokenizer tokenizer = load(name);
    JsonNode expected = new ObjectMapper().readTree(gunzip(name + ".expected.json.gz"));
    JsonNode cases = expected.get("cases");
    assertThat(cases.size()).isEqualTo(strings.size()).isGreaterThanOrEqualTo(3000);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < strings.size(); i++) {
      String s = strings.get(i);
      JsonNode c = cases.get(i);
      int[] ids = tokenizer.encode(s, true, false).ids();
      int[] plain = tokenizer.encode(s, false, false).ids();
      int[] asText = tokenizer.encode(s, true, true).ids();
      String decoded = tokenizer.decode(ints(c.get("ids")), true);
      String decodedAll = tokenizer.decode(ints(c.get("ids")), false);
      List<String> wrong = new ArrayList<>();
      if (!Arrays.equals(ids, ints(c.get("ids")))) {
        wrong.add("ids " + Arrays.toString(ids) + " expected " + c.get("ids") + " tokens "
            + tokenizer.encode(s, true, false).tokens());
      }
      // generate.py writes null where a value repeats another one.
      JsonNode expectedPlain = c.get("plain").isNull() ? c.get("ids") : c.get("plain");
      JsonNode expectedAsText = c.get("astext").isNull() ? c.get("ids") : c.get("astext");
      String expectedDecoded = c.get("decoded").textValue();
      String expectedAll = c.get("decoded_all").isNull() ? expectedDecoded : c.get("decoded_all").textValue();
      if (!Arrays.equals(plain, ints(expectedPlain))) {
        wrong.add("plain " + Arrays.toString(plain) + " expected " + expectedPlain);
      }
      if (!Arrays.equals(asText, ints(expectedAsText))) {
        wrong.add("as text " + Arrays.toString(asText) + " expected " + expectedAsText);
      }
      if (!decoded.equals(expectedDecoded)) {
        wrong.add("decoded '" + escape(decoded) + "' expected '" + escape(expectedDecoded) + "'");
      }
      if (!decodedAll.equals(expectedAll)) {
        wrong.add("decoded with specials '" + escape(decodedAll) + "' expected '" + escape(expectedAll) + "'");
      }
      if (!wrong.isEmpty()) {
        mismatches.add("#" + i + " '" + escape(s) + "': " + String.join("; ", wrong));
      }
    }
    for (JsonNode r : expected.get("random")) {
      int[] ids = ints(r.get("ids"));
      String skip = tokenizer.decode(ids, true);
      String all = tokenizer.decode(ids, false);
      if (!skip.equals(r.get("skip").textValue()) || !all.equals(r.get("all").textValue())) {
        mismatches.add("random " + r.get("ids") + ": '" + escape(skip) + "' / '" + escape(all) + "' expected '"
            + escape(r.get("skip").textValue()) + "' / '" + escape(r.get("all").textValue()) + "'");
      }
    }
    assertThat(expected.get("random").size()).isEqualTo(500);
    assertThat(mismatches).as(name + ": " + mismatches.size() + " mismatches; the first:\n"
        + String.join("\n", mismatches.subList(0, Math.min(12, mismatches.size())))).isEmpty();
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || (c >= 0x2000 && c <= 0x200f) || c == 0xfeff) {
        sb.append(String.format("\\u%04x", c));
      } else {
        sb.appendCodePoint(c);
      }
    });
    return sb.length() > 160 ? sb.substring(0, 160) + "…" : sb.toString();
  }
}
