package soko.engine.onnx.tokenizer;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import soko.engine.onnx.json.JsonFormatException;
import soko.engine.onnx.json.Node;

/**
 * A {@code tokenizer.json} decoder: token strings in, token strings out; the tokenizer joins the
 * final list. Immutable and thread-safe.
 */
sealed interface Decoder {
  int MAX_SEQUENCE = 64;

  List<String> decode(List<String> tokens);

  static Decoder read(Node n) throws JsonFormatException {
    String type = n.get("type").text();
    return switch (type) {
      case "Sequence" -> {
        n.object(Set.of("type", "decoders"));
        List<Decoder> list = new ArrayList<>();
        for (Node child : n.get("decoders").array(MAX_SEQUENCE)) {
          list.add(read(child));
        }
        yield new Sequence(List.copyOf(list));
      }
      case "Metaspace" -> {
        PreTokenizer.Metaspace m = PreTokenizer.Metaspace.read(n);
        yield new Metaspace(m.replacement(), m.scheme() != PreTokenizer.PrependScheme.NEVER);
      }
      case "ByteFallback" -> {
        n.object(Set.of("type"));
        yield new ByteFallback();
      }
      case "Fuse" -> {
        n.object(Set.of("type"));
        yield new Fuse();
      }
      case "Strip" -> {
        n.object(Set.of("type", "content", "start", "stop"));
        String content = n.get("content").text();
        if (content.codePointCount(0, content.length()) != 1) {
          throw n.get("content").problem("expected one character, found \"" + content + "\"");
        }
        yield new Strip(content.codePointAt(0), (int) n.get("start").integer(0, 1 << 20),
            (int) n.get("stop").integer(0, 1 << 20));
      }
      case "Replace" -> {
        n.object(Set.of("type", "pattern", "content"));
        yield new Replace(Normalizer.ReplacePattern.read(n.get("pattern")), n.get("content").text());
      }
      default -> throw n.get("type").problem("\"" + type + "\" is not a supported decoder; Soko supports Sequence,"
          + " Metaspace, ByteFallback, Fuse, Strip and Replace");
    };
  }

  record Sequence(List<Decoder> decoders) implements Decoder {
    @Override
    public List<String> decode(List<String> tokens) {
      List<String> t = tokens;
      for (Decoder d : decoders) {
        t = d.decode(t);
      }
      return t;
    }
  }

  /**
   * The replacement character becomes a space, except in the first token, where it is dropped when
   * the pre-tokenizer prepends one.
   */
  record Metaspace(int replacement, boolean dropInFirstToken) implements Decoder {
    @Override
    public List<String> decode(List<String> tokens) {
      List<String> out = new ArrayList<>(tokens.size());
      for (int i = 0; i < tokens.size(); i++) {
        boolean drop = i == 0 && dropInFirstToken;
        StringBuilder sb = new StringBuilder();
        tokens.get(i).codePoints().forEach(c -> {
          if (c != replacement) {
            sb.appendCodePoint(c);
          } else if (!drop) {
            sb.append(' ');
          }
        });
        out.add(sb.toString());
      }
      return out;
    }
  }

  /**
   * Runs of byte tokens ({@code <0xAB>}) become the text they spell in UTF-8, or one U+FFFD per byte
   * when they are not valid UTF-8.
   */
  record ByteFallback() implements Decoder {
    private static int byteOf(String token) {
      if (token.length() == 6 && token.startsWith("<0x") && token.endsWith(">")) {
        int hi = Character.digit(token.charAt(3), 16);
        int lo = Character.digit(token.charAt(4), 16);
        if (hi >= 0 && lo >= 0) {
          return hi * 16 + lo;
        }
      }
      return -1;
    }

    private static void flush(java.io.ByteArrayOutputStream bytes, List<String> out) {
      if (bytes.size() == 0) {
        return;
      }
      try {
        out.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
            .toString());
      } catch (CharacterCodingException e) {
        for (int i = 0; i < bytes.size(); i++) {
          out.add("\uFFFD");
        }
      }
      bytes.reset();
    }

    @Override
    public List<String> decode(List<String> tokens) {
      List<String> out = new ArrayList<>(tokens.size());
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      for (String t : tokens) {
        int b = byteOf(t);
        if (b >= 0) {
          bytes.write(b);
        } else {
          flush(bytes, out);
          out.add(t);
        }
      }
      flush(bytes, out);
      return out;
    }
  }

  /** All tokens into one. */
  record Fuse() implements Decoder {
    @Override
    public List<String> decode(List<String> tokens) {
      return List.of(String.join("", tokens));
    }
  }

  /** Removes up to {@code start} leading and {@code stop} trailing copies of a character from each token. */
  record Strip(int content, int start, int stop) implements Decoder {
    @Override
    public List<String> decode(List<String> tokens) {
      List<String> out = new ArrayList<>(tokens.size());
      for (String t : tokens) {
        int[] cps = t.codePoints().toArray();
        int from = 0;
        while (from < Math.min(start, cps.length) && cps[from] == content) {
          from++;
        }
        int to = cps.length;
        for (int i = 0; i < stop && to > from && cps[to - 1] == content; i++) {
          to--;
        }
        out.add(new String(cps, from, to - from));
      }
      return out;
    }
  }

  record Replace(Normalizer.ReplacePattern pattern, String content) implements Decoder {
    @Override
    public List<String> decode(List<String> tokens) {
      List<String> out = new ArrayList<>(tokens.size());
      for (String t : tokens) {
        out.add(pattern.replaceAll(t, content));
      }
      return out;
    }
  }
}
