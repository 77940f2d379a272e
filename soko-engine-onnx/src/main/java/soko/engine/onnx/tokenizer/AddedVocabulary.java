package soko.engine.onnx.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import soko.engine.onnx.json.JsonFormatException;
import soko.engine.onnx.json.Node;
import soko.engine.onnx.trie.Trie;

/**
 * The tokens a {@code tokenizer.json} adds on top of its model (special tokens such as
 * {@code </s>} and language tokens such as {@code __ja__}), and how they are cut out of text before
 * the model sees it: leftmost-longest matches, tokens with {@code normalized: false} in the raw
 * text, the others in the normalized text.
 *
 * <p>Ids: a token the model knows keeps the model's id; the Rust library numbers the others from
 * the model's size in file order and ignores the {@code id} the file declares (it only warns). Where
 * the two differ, Soko takes the declared id, as Transformers.js does, because that is the id the
 * publisher's model was trained with; when the declared id belongs to another token, the file is
 * refused.
 */
final class AddedVocabulary {
  static final int MAX_TOKENS = 1_000_000;
  private static final Pattern WORD = Pattern.compile("\\w", Pattern.UNICODE_CHARACTER_CLASS);

  record AddedToken(String content, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized,
      boolean special) {}

  /** A piece of the input: text for the model, or an added token already identified. */
  record Split(String text, int tokenId, boolean atStart) {
    boolean isToken() {
      return tokenId >= 0;
    }
  }

  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<Integer, AddedToken> tokens = new HashMap<>();
  private final Map<Integer, String> normalizedForms = new HashMap<>();
  private final Set<String> special = new HashSet<>();
  private final @Nullable Trie raw;
  private final @Nullable Trie normalizedTrie;

  private AddedVocabulary(List<AddedToken> list, List<Integer> declared, Model model, Optional<Normalizer> normalizer) {
    int next = model.vocabSize();
    for (int i = 0; i < list.size(); i++) {
      AddedToken t = list.get(i);
      if (t.content().isEmpty()) {
        continue;
      }
      Integer known = ids.get(t.content());
      if (known != null && t.equals(tokens.get(known))) {
        continue;
      }
      int id;
      if (known != null) {
        id = known;
      } else {
        OptionalInt inModel = model.tokenToId(t.content());
        id = inModel.isPresent() ? inModel.getAsInt() : next++;
        int wanted = declared.get(i);
        if (inModel.isEmpty() && wanted != id && model.idToToken(wanted).isEmpty() && !tokens.containsKey(wanted)) {
          id = wanted;
        }
      }
      if (t.normalized() && normalizer.isPresent()) {
        String n = normalizer.get().normalize(t.content());
        if (!n.equals(t.content())) {
          normalizedForms.put(id, n);
        }
      }
      ids.put(t.content(), id);
      if (t.special()) {
        special.add(t.content());
      }
      tokens.put(id, t);
    }
    Trie r = null;
    Trie n = null;
    for (Map.Entry<Integer, AddedToken> e : tokens.entrySet()) {
      AddedToken t = e.getValue();
      if (t.normalized()) {
        if (n == null) {
          n = new Trie(64);
        }
        n.setValue(n.add(normalizedForms.getOrDefault(e.getKey(), t.content())), e.getKey());
      } else {
        if (r == null) {
          r = new Trie(64);
        }
        r.setValue(r.add(t.content()), e.getKey());
      }
    }
    this.raw = r;
    this.normalizedTrie = n;
  }

  /**
   * Reads {@code added_tokens} and numbers them.
   *
   * @throws JsonFormatException when an entry is malformed or its declared id is not the id it gets
   */
  static AddedVocabulary read(Optional<Node> list, Model model, Optional<Normalizer> normalizer)
      throws JsonFormatException {
    List<AddedToken> tokens = new ArrayList<>();
    List<Integer> declared = new ArrayList<>();
    List<Node> nodes = list.isPresent() ? list.get().array(MAX_TOKENS) : List.of();
    for (Node n : nodes) {
      n.object(Set.of("id", "content", "single_word", "lstrip", "rstrip", "normalized", "special"));
      tokens.add(new AddedToken(n.get("content").text(), n.get("single_word").bool(), n.get("lstrip").bool(),
          n.get("rstrip").bool(), n.get("normalized").bool(), n.get("special").bool()));
      declared.add((int) n.get("id").integer(0, Integer.MAX_VALUE));
    }
    AddedVocabulary v = new AddedVocabulary(tokens, declared, model, normalizer);
    for (int i = 0; i < nodes.size(); i++) {
      Integer actual = v.ids.get(tokens.get(i).content());
      if (actual != null && actual.intValue() != declared.get(i)) {
        throw nodes.get(i).get("id").problem("the token \"" + tokens.get(i).content() + "\" is declared as id "
            + declared.get(i) + " but takes id " + actual + " (its place in the model's vocabulary or in"
            + " added_tokens), and the declared id belongs to another token; the tokenizer.json is inconsistent");
      }
    }
    return v;
  }

  OptionalInt tokenToId(String content) {
    Integer id = ids.get(content);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** The text of an added token as decoding sees it (the normalized form for normalized tokens). */
  Optional<String> idToToken(int id) {
    AddedToken t = tokens.get(id);
    return t == null ? Optional.empty() : Optional.of(normalizedForms.getOrDefault(id, t.content()));
  }

  boolean isSpecial(String content) {
    return special.contains(content);
  }

  Set<String> specialTokens() {
    return Set.copyOf(special);
  }

  /**
   * Cuts the added tokens out of {@code text} and normalizes the rest.
   *
   * @param specialAsText when true, special tokens in the text are ordinary text
   */
  List<Split> extract(String text, Optional<Normalizer> normalizer, boolean specialAsText) {
    List<Split> first = new ArrayList<>();
    split(text, true, raw, specialAsText, first);
    List<Split> out = new ArrayList<>();
    for (Split s : first) {
      if (s.isToken()) {
        out.add(s);
      } else {
        Normalizer.Normalized n = new Normalizer.Normalized(s.text(), s.atStart());
        if (normalizer.isPresent()) {
          n = normalizer.get().apply(n);
        }
        split(n.text(), n.atOrigin(), normalizedTrie, specialAsText, out);
      }
    }
    return out;
  }

  private static boolean isWord(int cp) {
    return WORD.matcher(Character.toString(cp)).matches();
  }

  private void split(String s, boolean atStart, @Nullable Trie trie, boolean specialAsText, List<Split> out) {
    if (s.isEmpty()) {
      return;
    }
    if (trie == null) {
      out.add(new Split(s, -1, atStart));
      return;
    }
    int startOffset = 0;
    int pos = 0;
    while (pos < s.length()) {
      // The longest added token starting at pos, if any.
      int node = 0;
      int matchEnd = -1;
      int matchId = -1;
      for (int i = pos; i < s.length(); i++) {
        node = trie.child(node, s.charAt(i));
        if (node < 0) {
          break;
        }
        if (trie.value(node) >= 0) {
          matchEnd = i + 1;
          matchId = trie.value(node);
        }
      }
      if (matchEnd < 0) {
        pos += Character.charCount(s.codePointAt(pos));
        continue;
      }
      int start = pos;
      int stop = matchEnd;
      pos = matchEnd;
      AddedToken t = tokens.get(matchId);
      if (specialAsText && special.contains(t.content())) {
        continue;
      }
      if (t.singleWord()) {
        boolean startSpace = start == 0 || !isWord(s.codePointBefore(start));
        boolean stopSpace = stop == s.length() || !isWord(s.codePointAt(stop));
        if (!startSpace || !stopSpace) {
          continue;
        }
      }
      if (t.lstrip()) {
        int newStart = start;
        while (newStart > 0 && Text.isWhiteSpace(s.codePointBefore(newStart))) {
          newStart -= Character.charCount(s.codePointBefore(newStart));
        }
        start = Math.max(newStart, startOffset);
      }
      if (t.rstrip()) {
        while (stop < s.length() && Text.isWhiteSpace(s.codePointAt(stop))) {
          stop += Character.charCount(s.codePointAt(stop));
        }
      }
      if (startOffset < start) {
        out.add(new Split(s.substring(startOffset, start), -1, atStart && startOffset == 0));
      }
      out.add(new Split(s.substring(start, stop), matchId, false));
      startOffset = stop;
    }
    if (startOffset < s.length()) {
      out.add(new Split(s.substring(startOffset), -1, atStart && startOffset == 0));
    }
  }
}
