package soko.engine.onnx.sentencepiece;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic test strings over the scripts and odd characters a Japanese/Korean tokenizer meets. */
final class TestStrings {
  private TestStrings() {}

  private static final int[][] POOLS = {
    {0x3041, 0x3096}, // hiragana
    {0x30A1, 0x30FA}, // katakana
    {0xFF66, 0xFF9F}, // half-width katakana, voiced marks
    {0xAC00, 0xD7A3}, // hangul syllables
    {0x3131, 0x318E}, // hangul compatibility jamo
    {0x1100, 0x11FF}, // hangul jamo
    {0x4E00, 0x9FFF}, // kanji
    {0xF900, 0xFAFF}, // CJK compatibility ideographs
    {0xFF01, 0xFF5E}, // full-width ASCII
    {0x3000, 0x303F}, // CJK punctuation, ideographic space
    {0x2460, 0x24FF}, // circled numbers and letters
    {0x3300, 0x33FF}, // CJK compatibility (㍻, ㎏)
    {0x2150, 0x218F}, // number forms (Ⅻ)
    {0xFB00, 0xFB06}, // ligatures (ﬁ)
    {0x1F300, 0x1F64F}, // emoji
    {0x1F3FB, 0x1F3FF}, // skin tones
    {0x0000, 0x001F}, // C0 controls
    {0x007F, 0x00A0}, // DEL, C1 controls, no-break space
    {0x2000, 0x200F}, // spaces, zero width, direction marks
    {0x0300, 0x036F}, // combining marks
    {0x00C0, 0x024F}, // Latin with accents
    {0x0020, 0x007E}, // ASCII
  };

  static List<String> corpus() throws IOException {
    List<String> lines = new ArrayList<>();
    for (String file : List.of("ja-en.tsv", "ko-en.tsv")) {
      try (InputStream in = TestStrings.class.getResourceAsStream("/soko/engine/onnx/marian/" + file)) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (!line.startsWith("#") && !line.isBlank()) {
            lines.addAll(List.of(line.split("\t")));
          }
        }
      }
    }
    return lines;
  }

  /** The same list on every run: corpus lines, fragments, single-script and mixed random strings, and a long one. */
  static List<String> generate(int randomCount) throws IOException {
    Random random = new Random(20261128);
    List<String> corpus = corpus();
    List<String> out = new ArrayList<>(corpus);
    out.addAll(List.of("", " ", "\u3000", "  a  b  ", "\t\n", "▁", "▁▁x", "①Ⅻ㍻ﬁ", "ｶﾞｷﾞｸﾞ", "Ｈｅｌｌｏ　Ｗｏｒｌｄ",
        "👍🏽", "👨‍👩‍👧", "☺️", "e\u0301", "<unk>", "</s>", "<s>", "\u0000x", "a\u00A0b", "1,234.5円"));
    for (String line : corpus) {
      int a = random.nextInt(line.length());
      int b = a + random.nextInt(line.length() - a) + 1;
      String piece = line.substring(a, b);
      if (!Character.isLowSurrogate(piece.charAt(0)) && !Character.isHighSurrogate(piece.charAt(piece.length() - 1))) {
        out.add(piece);
      }
      out.add(line.replace(" ", "  ") + " " + line);
    }
    for (int i = 0; i < randomCount; i++) {
      StringBuilder sb = new StringBuilder();
      int length = 1 + random.nextInt(24);
      boolean mixed = i % 3 == 0;
      int[] single = POOLS[random.nextInt(POOLS.length)];
      for (int j = 0; j < length; j++) {
        int[] pool = mixed ? POOLS[random.nextInt(POOLS.length)] : single;
        if (random.nextInt(8) == 0) {
          sb.append(' ');
        } else if (random.nextInt(6) == 0) {
          String line = corpus.get(random.nextInt(corpus.size()));
          int at = random.nextInt(line.length());
          sb.appendCodePoint(line.codePointAt(Character.isLowSurrogate(line.charAt(at)) ? at - 1 : at));
        } else {
          sb.appendCodePoint(pool[0] + random.nextInt(pool[1] - pool[0] + 1));
        }
      }
      out.add(sb.toString());
    }
    StringBuilder longText = new StringBuilder();
    while (longText.length() < 20_000) {
      longText.append(corpus.get(random.nextInt(corpus.size()))).append(random.nextBoolean() ? " " : "");
    }
    out.add(longText.toString());
    return out;
  }
}
