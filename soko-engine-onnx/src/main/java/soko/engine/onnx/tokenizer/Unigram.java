package soko.engine.onnx.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import soko.engine.onnx.json.JsonFormatException;
import soko.engine.onnx.json.Node;
import soko.engine.onnx.trie.Trie;

/**
 * A unigram language model over pieces with log-probability scores: the segmentation with the
 * highest total score wins (Viterbi). A character no piece covers scores the lowest piece score minus
 * 10 and becomes the unknown token; runs of unknown characters fuse into one. With byte fallback, an
 * unknown run becomes its UTF-8 bytes as {@code <0xAB>} tokens when the vocabulary has all of them.
 * Ties keep the first candidate found, shorter pieces before longer ones.
 */
final class Unigram implements Model {
  private static final double UNKNOWN_PENALTY = 10.0;

  private final String[] pieces;
  private final double[] scores;
  private final Trie trie;
  private final java.util.Map<String, Integer> ids;
  private final OptionalInt unknownId;
  private final boolean byteFallback;
  private final double unknownScore;

  private Unigram(String[] pieces, double[] scores, OptionalInt unknownId, boolean byteFallback) {
    this.pieces = pieces;
    this.scores = scores;
    this.unknownId = unknownId;
    this.byteFallback = byteFallback;
    int chars = 0;
    for (String p : pieces) {
      chars += p.length();
    }
    this.trie = new Trie(chars);
    this.ids = java.util.HashMap.newHashMap(pieces.length);
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < pieces.length; i++) {
      ids.put(pieces[i], i); // a later duplicate wins, as in the Rust library
      trie.setValue(trie.add(pieces[i]), i);
      min = Math.min(min, scores[i]);
    }
    this.unknownScore = min - UNKNOWN_PENALTY;
  }

  static Unigram read(Node n) throws JsonFormatException {
    n.object(Set.of("type", "vocab", "unk_id", "byte_fallback"));
    List<Node> vocab = n.get("vocab").array(MAX_VOCAB);
    if (vocab.isEmpty() && n.opt("unk_id").isPresent()) {
      throw n.get("vocab").problem("is empty, but the model names an unknown token");
    }
    String[] pieces = new String[vocab.size()];
    double[] scores = new double[vocab.size()];
    for (int i = 0; i < pieces.length; i++) {
      List<Node> entry = vocab.get(i).array(2);
      if (entry.size() != 2) {
        throw vocab.get(i).problem("expected [piece, score]");
      }
      pieces[i] = entry.get(0).text();
      scores[i] = entry.get(1).number();
      if (pieces[i].isEmpty()) {
        // The Rust trie would mark its root as a piece; no real vocabulary has an empty piece.
        throw entry.get(0).problem("is an empty piece");
      }
    }
    OptionalInt unk = OptionalInt.empty();
    if (n.opt("unk_id").isPresent()) {
      unk = OptionalInt.of((int) n.get("unk_id").integer(0, pieces.length - 1));
    }
    boolean byteFallback = n.opt("byte_fallback").isPresent() && n.get("byte_fallback").bool();
    return new Unigram(pieces, scores, unk, byteFallback);
  }

  @Override
  public void tokenize(String word, List<Token> out) throws TokenizationException {
    for (String piece : segment(word)) {
      Integer id = ids.get(piece);
      if (id != null) {
        out.add(new Token(id, piece));
        continue;
      }
      if (byteFallback) {
        List<Token> bytes = Bpe.byteTokens(piece, ids);
        if (bytes != null) {
          out.addAll(bytes);
          continue;
        }
      }
      // segment() only leaves pieces outside the vocabulary when there is an unknown token.
      out.add(new Token(unknownId.getAsInt(), piece));
    }
  }

  /** The best segmentation, with runs of unknown characters fused. */
  List<String> segment(String s) throws TokenizationException {
    int size = s.length();
    double[] best = new double[size + 1];
    int[] start = new int[size + 1];
    int[] id = new int[size + 1];
    java.util.Arrays.fill(start, -1);
    int from = 0;
    while (from < size) {
      double tillHere = best[from];
      int charLength = Character.charCount(s.codePointAt(from));
      boolean hasSingle = false;
      int node = 0;
      for (int end = from; end < size; end++) {
        node = trie.child(node, s.charAt(end));
        if (node < 0) {
          break;
        }
        int piece = trie.value(node);
        if (piece < 0) {
          continue;
        }
        double candidate = scores[piece] + tillHere;
        int at = end + 1;
        if (start[at] == -1 || candidate > best[at]) {
          best[at] = candidate;
          start[at] = from;
          id[at] = piece;
        }
        if (at - from == charLength) {
          hasSingle = true;
        }
      }
      if (!hasSingle) {
        if (unknownId.isEmpty()) {
          throw new TokenizationException("the tokenizer has no unknown token and no piece for \""
              + s.substring(from, from + charLength) + "\"");
        }
        int at = from + charLength;
        double candidate = unknownScore + tillHere;
        if (start[at] == -1 || candidate > best[at]) {
          best[at] = candidate;
          start[at] = from;
          id[at] = unknownId.getAsInt();
        }
      }
      from += charLength;
    }
    List<String> reversed = new ArrayList<>();
    int runStart = -1;
    int runEnd = -1;
    for (int end = size; end > 0; end = start[end]) {
      if (unknownId.isPresent() && id[end] == unknownId.getAsInt()) {
        if (runEnd < 0) {
          runEnd = end;
        }
        runStart = start[end];
        continue;
      }
      if (runEnd >= 0) {
        reversed.add(s.substring(runStart, runEnd));
        runEnd = -1;
      }
      reversed.add(s.substring(start[end], end));
    }
    if (runEnd >= 0) {
      reversed.add(s.substring(runStart, runEnd));
    }
    return reversed.reversed();
  }

  @Override
  public OptionalInt tokenToId(String token) {
    Integer id = ids.get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public Optional<String> idToToken(int id) {
    return id >= 0 && id < pieces.length ? Optional.of(pieces[id]) : Optional.empty();
  }

  @Override
  public int vocabSize() {
    return pieces.length;
  }

  OptionalInt unknownId() {
    return unknownId;
  }
}
