package soko.engine.onnx.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import soko.engine.onnx.json.JsonFormatException;
import soko.engine.onnx.json.Node;

/**
 * A {@code tokenizer.json} pre-tokenizer: splits one piece of normalized text into the words the
 * model sees. Immutable and thread-safe.
 */
sealed interface PreTokenizer {
  int MAX_SEQUENCE = 64;

  /** A piece of text; {@code atStart} when it begins at the start of the input, which Metaspace "first" needs. */
  record Piece(String text, boolean atStart) {}

  /** Splits {@code piece}; the result has no empty pieces. */
  void split(Piece piece, List<Piece> out);

  static PreTokenizer read(Node n) throws JsonFormatException {
    String type = n.get("type").text();
    return switch (type) {
      case "Sequence" -> {
        n.object(Set.of("type", "pretokenizers"));
        List<PreTokenizer> list = new ArrayList<>();
        for (Node child : n.get("pretokenizers").array(MAX_SEQUENCE)) {
          list.add(read(child));
        }
        yield new Sequence(List.copyOf(list));
      }
      case "Metaspace" -> Metaspace.read(n);
      case "WhitespaceSplit" -> {
        n.object(Set.of("type"));
        yield new WhitespaceSplit();
      }
      case "Whitespace" -> {
        n.object(Set.of("type"));
        yield new Whitespace();
      }
      default -> throw n.get("type").problem("\"" + type + "\" is not a supported pre-tokenizer; Soko supports"
          + " Sequence, Metaspace, WhitespaceSplit and Whitespace");
    };
  }

  /** Adds the pieces {@code text[from, to)} unless empty. */
  private static void add(List<Piece> out, Piece parent, int from, int to) {
    if (to > from) {
      out.add(new Piece(parent.text().substring(from, to), parent.atStart() && from == 0));
    }
  }

  record Sequence(List<PreTokenizer> steps) implements PreTokenizer {
    @Override
    public void split(Piece piece, List<Piece> out) {
      List<Piece> current = List.of(piece);
      for (PreTokenizer step : steps) {
        List<Piece> next = new ArrayList<>();
        for (Piece p : current) {
          step.split(p, next);
        }
        current = next;
      }
      out.addAll(current);
    }
  }

  enum PrependScheme { ALWAYS, FIRST, NEVER }

  /**
   * Spaces become the replacement character (▁), the replacement is prepended as the scheme says,
   * and with {@code split} the text is cut before every replacement character.
   */
  record Metaspace(int replacement, PrependScheme scheme, boolean split) implements PreTokenizer {
    static Metaspace read(Node n) throws JsonFormatException {
      n.object(Set.of("type", "replacement", "prepend_scheme", "split", "add_prefix_space", "str_rep"));
      Node r = n.get("replacement");
      String rep = r.text();
      if (rep.codePointCount(0, rep.length()) != 1) {
        throw r.problem("expected one character, found \"" + rep + "\"");
      }
      PrependScheme scheme = PrependScheme.ALWAYS;
      if (n.opt("prepend_scheme").isPresent()) {
        Node s = n.get("prepend_scheme");
        scheme = switch (s.text()) {
          case "always" -> PrependScheme.ALWAYS;
          case "first" -> PrependScheme.FIRST;
          case "never" -> PrependScheme.NEVER;
          default -> throw s.problem("expected \"always\", \"first\" or \"never\", found \"" + s.text() + "\"");
        };
      }
      if (n.opt("add_prefix_space").isPresent() && !n.get("add_prefix_space").bool()) {
        if (n.opt("prepend_scheme").isPresent() && scheme != PrependScheme.NEVER) {
          throw n.get("add_prefix_space").problem("add_prefix_space false contradicts prepend_scheme \""
              + n.get("prepend_scheme").text() + "\"");
        }
        scheme = PrependScheme.NEVER;
      }
      boolean split = n.opt("split").isEmpty() || n.get("split").bool();
      return new Metaspace(rep.codePointAt(0), scheme, split);
    }

    String apply(Piece piece) {
      String rep = Character.toString(replacement);
      String s = piece.text().replace(" ", rep);
      boolean prepend = switch (scheme) {
        case ALWAYS -> true;
        case FIRST -> piece.atStart();
        case NEVER -> false;
      };
      return prepend && !s.startsWith(rep) ? rep + s : s;
    }

    @Override
    public void split(Piece piece, List<Piece> out) {
      Piece p = new Piece(apply(piece), piece.atStart());
      if (!split) {
        add(out, p, 0, p.text().length());
        return;
      }
      String s = p.text();
      int start = 0;
      for (int i = 0; i < s.length(); ) {
        int c = s.codePointAt(i);
        if (c == replacement && i > start) {
          add(out, p, start, i);
          start = i;
        }
        i += Character.charCount(c);
      }
      add(out, p, start, s.length());
    }
  }

  /** Splits on Unicode White_Space, which is dropped. */
  record WhitespaceSplit() implements PreTokenizer {
    @Override
    public void split(Piece piece, List<Piece> out) {
      String s = piece.text();
      int start = 0;
      for (int i = 0; i < s.length(); ) {
        int c = s.codePointAt(i);
        int n = Character.charCount(c);
        if (Text.isWhiteSpace(c)) {
          add(out, piece, start, i);
          start = i + n;
        }
        i += n;
      }
      add(out, piece, start, s.length());
    }
  }

  /** Keeps runs of word characters and runs of other non-space characters: {@code \w+|[^\w\s]+}. */
  record Whitespace() implements PreTokenizer {
    private static final Pattern WORDS = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

    @Override
    public void split(Piece piece, List<Piece> out) {
      Matcher m = WORDS.matcher(piece.text());
      while (m.find()) {
        add(out, piece, m.start(), m.end());
      }
    }
  }
}
