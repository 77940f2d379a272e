package soko.engine.onnx.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import soko.engine.onnx.json.JsonFormatException;
import soko.engine.onnx.json.Node;

/**
 * Byte-pair encoding as the Hugging Face library runs it: a word starts as its characters (with the
 * continuing-subword prefix on all but the first and the end-of-word suffix on the last, when the
 * model has them); characters outside the vocabulary become byte tokens ({@code <0x0A>}) with byte
 * fallback, else the unknown token (consecutive ones fused with {@code fuse_unk}), else vanish; then
 * the pair with the lowest merge rank, leftmost first, merges until no ranked pair is left.
 */
final class Bpe implements Model {
  static final int MAX_MERGES = 4_000_000;

  private record Merge(int rank, int newId) {}

  private final Map<String, Integer> vocab;
  private final Map<Integer, String> tokens;
  private final Map<Long, Merge> merges;
  private final @Nullable String unknown;
  private final int unknownId;
  private final @Nullable String prefix;
  private final @Nullable String suffix;
  private final boolean fuseUnknown;
  private final boolean byteFallback;
  private final boolean ignoreMerges;

  private Bpe(Map<String, Integer> vocab, Map<Long, Merge> merges, @Nullable String unknown, @Nullable String prefix,
      @Nullable String suffix, boolean fuseUnknown, boolean byteFallback, boolean ignoreMerges) {
    this.vocab = vocab;
    this.tokens = HashMap.newHashMap(vocab.size());
    vocab.forEach((token, id) -> tokens.put(id, token));
    this.merges = merges;
    this.unknown = unknown;
    this.unknownId = unknown == null ? -1 : vocab.get(unknown);
    this.prefix = prefix;
    this.suffix = suffix;
    this.fuseUnknown = fuseUnknown;
    this.byteFallback = byteFallback;
    this.ignoreMerges = ignoreMerges;
  }

  private static long pair(int a, int b) {
    return ((long) a << 32) | (b & 0xffffffffL);
  }

  private static @Nullable String optText(Node n, String key) throws JsonFormatException {
    return n.opt(key).isPresent() ? n.get(key).text() : null;
  }

  private static boolean optBool(Node n, String key) throws JsonFormatException {
    return n.opt(key).isPresent() && n.get(key).bool();
  }

  static Bpe read(Node n) throws JsonFormatException {
    n.object(Set.of("type", "dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix", "fuse_unk",
        "byte_fallback", "ignore_merges", "vocab", "merges"));
    if (n.opt("dropout").isPresent() && n.get("dropout").number() != 0) {
      throw n.get("dropout").problem("BPE dropout makes tokenization random; Soko runs models with dropout null");
    }
    Map<String, Integer> vocab = new HashMap<>();
    for (Node.Member m : n.get("vocab").members(MAX_VOCAB)) {
      vocab.put(m.key(), (int) m.value().integer(0, Integer.MAX_VALUE));
    }
    String unknown = optText(n, "unk_token");
    if (unknown != null && !vocab.containsKey(unknown)) {
      throw n.get("unk_token").problem("the unknown token \"" + unknown + "\" is not in the vocabulary");
    }
    String prefix = optText(n, "continuing_subword_prefix");
    Map<Long, Merge> merges = new HashMap<>();
    List<Node> list = n.get("merges").array(MAX_MERGES);
    int rank = 0;
    for (Node m : list) {
      String a;
      String b;
      if (m.isString()) {
        if (m.text().startsWith("#version")) {
          continue;
        }
        String[] parts = m.text().split(" ", -1);
        if (parts.length != 2) {
          throw m.problem("a merge is written \"left right\" with one space; found \"" + m.text() + "\"");
        }
        a = parts[0];
        b = parts[1];
      } else {
        List<Node> ab = m.array(2);
        if (ab.size() != 2) {
          throw m.problem("a merge is a pair [left, right]");
        }
        a = ab.get(0).text();
        b = ab.get(1).text();
      }
      Integer aId = vocab.get(a);
      Integer bId = vocab.get(b);
      int cut = prefix == null ? 0 : prefix.length();
      if (aId == null || bId == null || b.length() < cut) {
        throw m.problem("merges \"" + a + "\" and \"" + b + "\", which are not both in the vocabulary");
      }
      String merged = a + b.substring(cut);
      Integer newId = vocab.get(merged);
      if (newId == null) {
        throw m.problem("the merge makes \"" + merged + "\", which is not in the vocabulary");
      }
      merges.put(pair(aId, bId), new Merge(rank, newId));
      rank++;
    }
    return new Bpe(vocab, merges, unknown, prefix, optText(n, "end_of_word_suffix"), optBool(n, "fuse_unk"),
        optBool(n, "byte_fallback"), optBool(n, "ignore_merges"));
  }

  /** The byte tokens of a piece, or null when the vocabulary lacks one of them. */
  static @Nullable List<Token> byteTokens(String piece, Map<String, Integer> vocab) {
    List<Token> out = new ArrayList<>();
    for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
      String name = String.format("<0x%02X>", b & 0xff);
      Integer id = vocab.get(name);
      if (id == null) {
        return null;
      }
      out.add(new Token(id, name));
    }
    return out;
  }

  /** The symbols of a word as a doubly linked list over arrays; merged-away symbols get length 0. */
  private static final class Word {
    int[] id;
    int[] length;
    int[] prev;
    int[] next;
    int size;

    Word(int capacity) {
      id = new int[capacity];
      length = new int[capacity];
      prev = new int[capacity];
      next = new int[capacity];
    }

    void add(int symbol, int len) {
      if (size == id.length) {
        int n = Math.max(4, size * 2);
        id = java.util.Arrays.copyOf(id, n);
        length = java.util.Arrays.copyOf(length, n);
        prev = java.util.Arrays.copyOf(prev, n);
        next = java.util.Arrays.copyOf(next, n);
      }
      id[size] = symbol;
      length[size] = len;
      prev[size] = size - 1;
      next[size] = -1;
      if (size > 0) {
        next[size - 1] = size;
      }
      size++;
    }
  }

  private record Candidate(int rank, int pos, int newId) {}

  @Override
  public void tokenize(String w, List<Token> out) {
    if (ignoreMerges) {
      Integer id = vocab.get(w);
      if (id != null) {
        out.add(new Token(id, w));
        return;
      }
    }
    Word word = new Word(w.length());
    int pendingUnknown = 0; // length of a pending unknown symbol, 0 when none
    for (int i = 0; i < w.length(); ) {
      int cp = w.codePointAt(i);
      int len = Character.charCount(cp);
      boolean first = i == 0;
      boolean last = i + len == w.length();
      String s = Character.toString(cp);
      if (!first && prefix != null) {
        s = prefix + s;
      }
      if (last && suffix != null) {
        s = s + suffix;
      }
      i += len;
      Integer id = vocab.get(s);
      if (id != null) {
        if (pendingUnknown > 0) {
          word.add(unknownId, pendingUnknown);
          pendingUnknown = 0;
        }
        word.add(id, len);
        continue;
      }
      if (byteFallback) {
        List<Token> bytes = byteTokens(s, vocab);
        if (bytes != null) {
          // As in the Rust library, a pending unknown symbol is not flushed first.
          for (Token t : bytes) {
            word.add(t.id(), 1);
          }
          continue;
        }
      }
      if (unknown != null) {
        if (pendingUnknown > 0 && !fuseUnknown) {
          word.add(unknownId, pendingUnknown);
          pendingUnknown = 0;
        }
        pendingUnknown += len;
      }
    }
    if (pendingUnknown > 0) {
      word.add(unknownId, pendingUnknown);
    }
    mergeAll(word);
    for (int s = 0; s < word.size; s++) {
      if (word.length[s] != 0) {
        out.add(new Token(word.id[s], tokens.get(word.id[s])));
      }
    }
  }

  private void mergeAll(Word word) {
    PriorityQueue<Candidate> queue = new PriorityQueue<>((x, y) ->
        x.rank() != y.rank() ? Integer.compare(x.rank(), y.rank()) : Integer.compare(x.pos(), y.pos()));
    for (int s = 0; s + 1 < word.size; s++) {
      Merge m = merges.get(pair(word.id[s], word.id[s + 1]));
      if (m != null) {
        queue.add(new Candidate(m.rank(), s, m.newId()));
      }
    }
    while (!queue.isEmpty()) {
      Candidate top = queue.poll();
      int pos = top.pos();
      if (word.length[pos] == 0 || word.next[pos] == -1) {
        continue;
      }
      int right = word.next[pos];
      Merge current = merges.get(pair(word.id[pos], word.id[right]));
      if (current == null || current.newId() != top.newId()) {
        continue; // an entry made stale by an earlier merge
      }
      word.id[pos] = top.newId();
      word.length[pos] += word.length[right];
      word.next[pos] = word.next[right];
      word.length[right] = 0;
      if (word.next[right] >= 0) {
        word.prev[word.next[right]] = pos;
      }
      if (word.prev[pos] >= 0) {
        int p = word.prev[pos];
        Merge m = merges.get(pair(word.id[p], word.id[pos]));
        if (m != null) {
          queue.add(new Candidate(m.rank(), p, m.newId()));
        }
      }
      if (word.next[pos] >= 0) {
        Merge m = merges.get(pair(word.id[pos], word.id[word.next[pos]]));
        if (m != null) {
          queue.add(new Candidate(m.rank(), pos, m.newId()));
        }
      }
    }
  }

  @Override
  public OptionalInt tokenToId(String token) {
    Integer id = vocab.get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public Optional<String> idToToken(int id) {
    return Optional.ofNullable(tokens.get(id));
  }

  @Override
  public int vocabSize() {
    return vocab.size();
  }
}
