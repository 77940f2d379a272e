package soko.engine.onnx.tokenizer;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import soko.engine.onnx.json.JsonFormatException;
import soko.engine.onnx.json.Node;

/** A {@code tokenizer.json} model: one word in, tokens out. Immutable and thread-safe. */
sealed interface Model permits Unigram, Bpe {
  /** The largest vocabulary accepted; real ones have at most a few hundred thousand entries. */
  int MAX_VOCAB = 2_000_000;

  /** A token: its id and its text as the model writes it. */
  record Token(int id, String text) {}

  /**
   * Appends the tokens of one non-empty word.
   *
   * @throws TokenizationException when the word has a character the model cannot represent and it has no unknown token
   */
  void tokenize(String word, List<Token> out) throws TokenizationException;

  OptionalInt tokenToId(String token);

  Optional<String> idToToken(int id);

  /** The number of entries, which numbers the first added token that the vocabulary lacks. */
  int vocabSize();

  static Model read(Node n) throws JsonFormatException {
    String type = n.get("type").text();
    return switch (type) {
      case "Unigram" -> Unigram.read(n);
      case "BPE" -> Bpe.read(n);
      default -> throw n.get("type").problem("\"" + type + "\" is not a supported model; Soko supports Unigram"
          + " and BPE");
    };
  }
}
