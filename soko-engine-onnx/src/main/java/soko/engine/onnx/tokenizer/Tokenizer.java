package soko.engine.onnx.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import soko.engine.onnx.json.Json;
import soko.engine.onnx.json.JsonFormatException;
import soko.engine.onnx.json.Node;

/**
 * A Hugging Face {@code tokenizer.json} tokenizer in pure Java, giving the ids and text the Rust
 * {@code tokenizers} library gives for the components it supports (see the package documentation);
 * any other component is refused when loading, with the JSON pointer of its {@code type}.
 *
 * <p>Encoding: added tokens are cut out of the text, the rest is normalized, pre-tokenized into
 * words, and each word is tokenized by the model; with special tokens, the post-processor's template
 * places them around the result. Decoding maps ids to token strings (dropping unknown ids and, when
 * asked, special tokens) and runs the decoder, or joins with spaces when there is none.
 *
 * <p>{@code truncation} and {@code padding} settings are read and ignored: callers cut and pad.
 * Immutable and thread-safe.
 */
public final class Tokenizer {
  /** Larger files are refused: the largest real tokenizer.json files are a few tens of MB. */
  public static final long MAX_FILE_BYTES = 256L << 20;

  /** The ids of encoded text and the token strings they stand for. */
  public record Encoding(int[] ids, List<String> tokens) {
    public Encoding {
      ids = ids.clone();
      tokens = List.copyOf(tokens);
    }

    @Override
    public int[] ids() {
      return ids.clone();
    }
  }

  private final Optional<Normalizer> normalizer;
  private final Optional<PreTokenizer> preTokenizer;
  private final Model model;
  private final Optional<Template> template;
  private final Optional<Decoder> decoder;
  private final AddedVocabulary added;

  private Tokenizer(Optional<Normalizer> normalizer, Optional<PreTokenizer> preTokenizer, Model model,
      Optional<Template> template, Optional<Decoder> decoder, AddedVocabulary added) {
    this.normalizer = normalizer;
    this.preTokenizer = preTokenizer;
    this.model = model;
    this.template = template;
    this.decoder = decoder;
    this.added = added;
  }

  /**
   * Reads a file.
   *
   * @throws IOException when it cannot be read
   * @throws JsonFormatException when it is not a tokenizer.json Soko can run
   */
  public static Tokenizer load(Path file) throws IOException, JsonFormatException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new JsonFormatException(file.getFileName().toString(), "", "the file is " + size + " bytes; a"
          + " tokenizer.json is at most " + MAX_FILE_BYTES + " bytes, so this is not one");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
    }
    return parse(bytes, file.getFileName().toString());
  }

  /** Reads the bytes of a tokenizer.json; {@code name} names it in messages. */
  public static Tokenizer parse(byte[] bytes, String name) throws JsonFormatException {
    Node root = Json.parse(bytes, MAX_FILE_BYTES, name);
    root.object(Set.of("version", "truncation", "padding", "added_tokens", "normalizer", "pre_tokenizer",
        "post_processor", "decoder", "model"));
    if (root.opt("version").isPresent() && !root.get("version").text().equals("1.0")) {
      throw root.get("version").problem("is \"" + root.get("version").text() + "\"; Soko reads version \"1.0\"");
    }
    Optional<Normalizer> normalizer = root.opt("normalizer").isPresent()
        ? Optional.of(Normalizer.read(root.get("normalizer"))) : Optional.empty();
    Optional<PreTokenizer> pre = root.opt("pre_tokenizer").isPresent()
        ? Optional.of(PreTokenizer.read(root.get("pre_tokenizer"))) : Optional.empty();
    Model model = Model.read(root.get("model"));
    Optional<Template> template = root.opt("post_processor").isPresent()
        ? Optional.of(Template.read(root.get("post_processor"))) : Optional.empty();
    Optional<Decoder> decoder = root.opt("decoder").isPresent()
        ? Optional.of(Decoder.read(root.get("decoder"))) : Optional.empty();
    AddedVocabulary added = AddedVocabulary.read(root.opt("added_tokens"), model, normalizer);
    return new Tokenizer(normalizer, pre, model, template, decoder, added);
  }

  /**
   * Encodes text.
   *
   * @param addSpecialTokens place the template's special tokens around the text
   * @param specialTokensAsText treat special tokens written in the text as ordinary text, so that
   *     text cannot smuggle in control tokens (the Rust library's {@code encode_special_tokens})
   * @throws TokenizationException when the model has no token for a character and no unknown token
   */
  public Encoding encode(String text, boolean addSpecialTokens, boolean specialTokensAsText)
      throws TokenizationException {
    List<Integer> ids = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    if (addSpecialTokens && template.isPresent()) {
      for (Template.Item item : template.get().single()) {
        switch (item) {
          case Template.Sequence _ -> body(text, specialTokensAsText, ids, tokens);
          case Template.Special s -> {
            ids.addAll(s.ids());
            tokens.addAll(s.tokens());
          }
        }
      }
    } else {
      body(text, specialTokensAsText, ids, tokens);
    }
    return new Encoding(ids.stream().mapToInt(Integer::intValue).toArray(), tokens);
  }

  private void body(String text, boolean specialAsText, List<Integer> ids, List<String> tokens)
      throws TokenizationException {
    List<Model.Token> out = new ArrayList<>();
    for (AddedVocabulary.Split split : added.extract(text, normalizer, specialAsText)) {
      if (split.isToken()) {
        out.add(new Model.Token(split.tokenId(), split.text()));
        continue;
      }
      List<PreTokenizer.Piece> words = new ArrayList<>();
      PreTokenizer.Piece whole = new PreTokenizer.Piece(split.text(), split.atStart());
      if (preTokenizer.isPresent()) {
        preTokenizer.get().split(whole, words);
      } else {
        words.add(whole);
      }
      for (PreTokenizer.Piece w : words) {
        model.tokenize(w.text(), out);
      }
    }
    for (Model.Token t : out) {
      ids.add(t.id());
      tokens.add(t.text());
    }
  }

  /**
   * The text of ids. Ids that name no token are skipped.
   *
   * @param skipSpecialTokens leave out special tokens
   */
  public String decode(int[] ids, boolean skipSpecialTokens) {
    List<String> tokens = new ArrayList<>(ids.length);
    for (int id : ids) {
      Optional<String> t = idToToken(id);
      if (t.isPresent() && !(skipSpecialTokens && added.isSpecial(t.get()))) {
        tokens.add(t.get());
      }
    }
    return decoder.isPresent() ? String.join("", decoder.get().decode(tokens)) : String.join(" ", tokens);
  }

  /** The id of a token, looking at the added tokens first. */
  public OptionalInt tokenToId(String token) {
    OptionalInt a = added.tokenToId(token);
    return a.isPresent() ? a : model.tokenToId(token);
  }

  /** The token string of an id, looking at the added tokens first. */
  public Optional<String> idToToken(int id) {
    Optional<String> a = added.idToToken(id);
    return a.isPresent() ? a : model.idToToken(id);
  }

  /** Whether a token is one of the special added tokens. */
  public boolean isSpecial(String token) {
    return added.isSpecial(token);
  }

  /** The special added tokens. */
  public Set<String> specialTokens() {
    return added.specialTokens();
  }

  /**
   * The single-sequence template of the post-processor, if there is one: the names of its special
   * tokens in order, with {@code $A} where the text goes, such as {@code [__ja__, $A, </s>]}.
   */
  public Optional<List<String>> template() {
    return template.map(t -> t.single().stream().map(i -> switch (i) {
      case Template.Sequence _ -> "$A";
      case Template.Special s -> s.name();
    }).toList());
  }

  /** The ids a special token of the template stands for; empty when the template has no such token. */
  public List<Integer> templateIds(String name) {
    return template.stream().flatMap(t -> t.single().stream())
        .flatMap(i -> i instanceof Template.Special s && s.name().equals(name) ? s.ids().stream() : java.util.stream.Stream.empty())
        .toList();
  }

  /**
   * Whether the normalizer is Soko's approximation of a SentencePiece rule set the file left out
   * ({@code "precompiled_charsmap": null}); see the package documentation.
   */
  public boolean approximatesNormalizer() {
    return normalizer.isPresent() && usesApproximation(normalizer.get());
  }

  private static boolean usesApproximation(Normalizer n) {
    return switch (n) {
      case Normalizer.NmtNfkcApproximation _ -> true;
      case Normalizer.Sequence s -> s.normalizers().stream().anyMatch(Tokenizer::usesApproximation);
      default -> false;
    };
  }

  /** The number of entries of the model's own vocabulary, without added tokens. */
  public int modelVocabSize() {
    return model.vocabSize();
  }
}
