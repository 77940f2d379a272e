package soko.engine.onnx.tokenizer;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import soko.engine.onnx.json.JsonFormatException;
import soko.engine.onnx.json.Node;
import soko.engine.onnx.sentencepiece.CharsMap;
import soko.engine.onnx.sentencepiece.SentencePieceFormatException;

/** A {@code tokenizer.json} normalizer: text in, text out. Immutable and thread-safe. */
sealed interface Normalizer {
  String normalize(String text);

  /**
   * Text with whether its first character still stands at offset 0 of the input, which Metaspace's
   * "first" scheme asks. The Rust library answers through its offset alignments; removing leading
   * characters (Strip, an empty Replace) moves the first character off the start, and a Replace at
   * the start aligns its content with the last character it replaced. Other normalizers keep it.
   */
  record Normalized(String text, boolean atOrigin) {}

  default Normalized apply(Normalized in) {
    return new Normalized(normalize(in.text()), in.atOrigin());
  }

  /** The largest charsmap accepted (real SentencePiece ones are a few hundred KB). */
  int MAX_CHARSMAP_BYTES = 16 << 20;
  int MAX_SEQUENCE = 64;

  static Normalizer read(Node n) throws JsonFormatException {
    String type = n.get("type").text();
    return switch (type) {
      case "Sequence" -> {
        n.object(Set.of("type", "normalizers"));
        List<Normalizer> list = new ArrayList<>();
        for (Node child : n.get("normalizers").array(MAX_SEQUENCE)) {
          list.add(read(child));
        }
        yield new Sequence(List.copyOf(list));
      }
      case "Precompiled" -> {
        n.object(Set.of("type", "precompiled_charsmap"));
        Node map = n.get("precompiled_charsmap");
        yield map.isNull() ? new NmtNfkcApproximation() : Precompiled.read(map);
      }
      case "NFC", "NFD", "NFKC", "NFKD" -> {
        n.object(Set.of("type"));
        yield new Unicode(java.text.Normalizer.Form.valueOf(type));
      }
      case "Lowercase" -> {
        n.object(Set.of("type"));
        yield new Lowercase();
      }
      case "Strip" -> {
        n.object(Set.of("type", "strip_left", "strip_right"));
        yield new Strip(n.get("strip_left").bool(), n.get("strip_right").bool());
      }
      case "Prepend" -> {
        n.object(Set.of("type", "prepend"));
        yield new Prepend(n.get("prepend").text());
      }
      case "Replace" -> {
        n.object(Set.of("type", "pattern", "content"));
        yield new Replace(ReplacePattern.read(n.get("pattern")), n.get("content").text());
      }
      default -> throw n.get("type").problem("\"" + type + "\" is not a supported normalizer; Soko supports"
          + " Sequence, Precompiled, NFC, NFD, NFKC, NFKD, Lowercase, Strip, Prepend and Replace");
    };
  }

  record Sequence(List<Normalizer> normalizers) implements Normalizer {
    @Override
    public String normalize(String text) {
      String s = text;
      for (Normalizer n : normalizers) {
        s = n.normalize(s);
      }
      return s;
    }

    @Override
    public Normalized apply(Normalized in) {
      Normalized s = in;
      for (Normalizer n : normalizers) {
        s = n.apply(s);
      }
      return s;
    }
  }

  /**
   * SentencePiece's precompiled map as the Hugging Face library applies it: per extended grapheme
   * cluster shorter than 6 UTF-8 bytes, the first rule matching a prefix of the cluster replaces the
   * whole cluster; otherwise each character is looked up on its own.
   */
  final class Precompiled implements Normalizer {
    private final CharsMap map;
    private final String[] replacementsByOffset;

    private Precompiled(CharsMap map, int blockSize) {
      this.map = map;
      this.replacementsByOffset = new String[blockSize];
    }

    static Precompiled read(Node n) throws JsonFormatException {
      byte[] blob;
      try {
        blob = Base64.getDecoder().decode(n.text());
      } catch (IllegalArgumentException e) {
        throw n.problem("is not base64: " + e.getMessage());
      }
      if (blob.length > MAX_CHARSMAP_BYTES) {
        throw n.problem("holds " + blob.length + " bytes; a charsmap is at most " + MAX_CHARSMAP_BYTES);
      }
      CharsMap map;
      try {
        map = CharsMap.parse(blob);
      } catch (SentencePieceFormatException e) {
        throw n.problem(e.getMessage());
      }
      byte[] block = map.replacements();
      try {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(block));
      } catch (CharacterCodingException e) {
        throw n.problem("the charsmap's replacements are not valid UTF-8");
      }
      return new Precompiled(map, block.length);
    }

    private String replacement(int offset) {
      // Racy but benign caching: every thread computes the same string.
      String s = replacementsByOffset[offset];
      if (s == null) {
        s = new String(map.replacement(offset), StandardCharsets.UTF_8);
        replacementsByOffset[offset] = s;
      }
      return s;
    }

    @Override
    public String normalize(String text) {
      StringBuilder out = new StringBuilder(text.length() + 8);
      for (String g : Text.graphemes(text)) {
        byte[] bytes = Text.utf8(g);
        if (bytes.length < 6) {
          int r = map.firstMatch(bytes);
          if (r >= 0) {
            out.append(replacement(r));
            continue;
          }
        }
        for (int i = 0; i < g.length(); ) {
          int cp = g.codePointAt(i);
          int r = map.firstMatch(Text.utf8(Character.toString(cp)));
          if (r >= 0) {
            out.append(replacement(r));
          } else {
            out.appendCodePoint(cp);
          }
          i += Character.charCount(cp);
        }
      }
      return out.toString();
    }
  }

  /**
   * What Transformers.js does for a {@code Precompiled} normalizer whose charsmap is null (as in the
   * Xenova OPUS-MT exports, which the Rust library cannot load at all): SentencePiece's nmt_nfkc rule
   * set approximated by removing control characters, turning other spaces into U+0020, and NFKC
   * (which leaves U+FF5E alone). An approximation: see the package documentation.
   */
  record NmtNfkcApproximation() implements Normalizer {
    @Override
    public String normalize(String text) {
      StringBuilder sb = new StringBuilder(text.length());
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if ((c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || c == 0x8F || c == 0x9F) {
          continue;
        }
        boolean space = c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0xA0 || c == 0x1680
            || (c >= 0x2000 && c <= 0x200F) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
            || c == 0x2581 || c == 0x3000 || c == 0xFEFF || c == 0xFFFD;
        sb.append(space ? ' ' : c);
      }
      String[] parts = sb.toString().split("\uFF5E", -1);
      StringBuilder out = new StringBuilder(sb.length());
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) {
          out.append('\uFF5E');
        }
        out.append(java.text.Normalizer.normalize(parts[i], java.text.Normalizer.Form.NFKC));
      }
      return out.toString();
    }
  }

  record Unicode(java.text.Normalizer.Form form) implements Normalizer {
    @Override
    public String normalize(String text) {
      return java.text.Normalizer.normalize(text, form);
    }
  }

  /** Unicode lower case, code point by code point (no context rules), as Rust's {@code char::to_lowercase}. */
  record Lowercase() implements Normalizer {
    @Override
    public String normalize(String text) {
      StringBuilder out = new StringBuilder(text.length());
      text.codePoints().forEach(cp -> out.append(Character.toString(cp).toLowerCase(Locale.ROOT)));
      return out.toString();
    }
  }

  /** Removes Unicode White_Space at the start and/or end. */
  record Strip(boolean left, boolean right) implements Normalizer {
    @Override
    public String normalize(String text) {
      int start = 0;
      int end = text.length();
      if (left) {
        while (start < end && Text.isWhiteSpace(text.codePointAt(start))) {
          start += Character.charCount(text.codePointAt(start));
        }
      }
      if (right) {
        while (end > start && Text.isWhiteSpace(text.codePointBefore(end))) {
          end -= Character.charCount(text.codePointBefore(end));
        }
      }
      return text.substring(start, end);
    }

    @Override
    public Normalized apply(Normalized in) {
      String out = normalize(in.text());
      boolean strippedStart = left && !in.text().isEmpty() && Text.isWhiteSpace(in.text().codePointAt(0));
      return new Normalized(out, in.atOrigin() && !strippedStart);
    }
  }

  /** Adds a prefix to non-empty text. */
  record Prepend(String prefix) implements Normalizer {
    @Override
    public String normalize(String text) {
      return text.isEmpty() ? text : prefix + text;
    }
  }

  /** Replaces every non-overlapping match, left to right, with fixed content. */
  record Replace(ReplacePattern pattern, String content) implements Normalizer {
    @Override
    public String normalize(String text) {
      return pattern.replaceAll(text, content);
    }

    @Override
    public Normalized apply(Normalized in) {
      int firstMatch = pattern.firstMatchLengthAtStart(in.text());
      boolean atOrigin = in.atOrigin();
      if (firstMatch > 0) {
        atOrigin = atOrigin && !content.isEmpty() && in.text().codePointCount(0, firstMatch) == 1;
      }
      return new Normalized(normalize(in.text()), atOrigin);
    }
  }

  /** A literal string or a regular expression, as Replace normalizers and decoders name them. */
  record ReplacePattern(Pattern pattern, boolean empty) {
    static ReplacePattern read(Node n) throws JsonFormatException {
      n.object(Set.of("String", "Regex"));
      if (n.opt("String").isPresent() == n.opt("Regex").isPresent()) {
        throw n.problem("expected exactly one of \"String\" and \"Regex\"");
      }
      if (n.opt("String").isPresent()) {
        String s = n.get("String").text();
        return new ReplacePattern(Pattern.compile(Pattern.quote(s)), s.isEmpty());
      }
      Node r = n.get("Regex");
      try {
        // The Rust library uses Oniguruma; Java's syntax agrees on the simple patterns tokenizers use.
        return new ReplacePattern(Pattern.compile(r.text(), Pattern.UNICODE_CHARACTER_CLASS), false);
      } catch (PatternSyntaxException e) {
        throw r.problem("is not a regular expression Soko can run: " + e.getDescription());
      }
    }

    /** The length of a non-empty match at the start of the text, or 0. */
    int firstMatchLengthAtStart(String text) {
      if (empty || text.isEmpty()) {
        return 0;
      }
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        if (m.end() > m.start()) {
          return m.start() == 0 ? m.end() : 0;
        }
      }
      return 0;
    }

    String replaceAll(String text, String content) {
      if (empty || text.isEmpty()) {
        return text;
      }
      Matcher m = pattern.matcher(text);
      StringBuilder out = new StringBuilder(text.length());
      int last = 0;
      while (m.find()) {
        if (m.end() == m.start()) {
          continue; // an empty match replaces nothing
        }
        out.append(text, last, m.start()).append(content);
        last = m.end();
      }
      return out.append(text, last, text.length()).toString();
    }
  }
}
