package soko.engine.onnx.translation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import soko.engine.onnx.json.Json;
import soko.engine.onnx.json.JsonFormatException;
import soko.engine.onnx.json.Node;
import soko.engine.onnx.tokenizer.TokenizationException;
import soko.engine.onnx.tokenizer.Tokenizer;
import soko.manifest.Language;

/**
 * Text to ids and back through a {@code tokenizer.json}, with the special tokens placed as the
 * model family's transformers tokenizer places them (not as the file's post-processor says; the
 * post-processor is checked against the convention when loading):
 *
 * <ul>
 *   <li>{@link Convention#MARIAN}: {@code text </s>}; nothing forced on the output;
 *   <li>{@link Convention#M2M100}: {@code __ja__ text </s>}; the output starts with {@code __en__};
 *   <li>{@link Convention#NLLB}: {@code jpn_Jpan text </s>}, or {@code text </s> jpn_Jpan} when
 *       {@code tokenizer_config.json} sets {@code legacy_behaviour}; the output starts with
 *       {@code eng_Latn}.
 * </ul>
 *
 * <p>Special tokens written in the input text are read as text, so a text cannot switch languages or
 * end itself early. A token the tokenizer marks as unknown text (its string is not its vocabulary
 * entry's) gets the id of {@code tokenizer_config.json}'s {@code unk_token} (default {@code <unk>}):
 * this also corrects files whose Unigram {@code unk_id} names another piece. Decoding drops special
 * tokens, applies transformers' {@code clean_up_tokenization_spaces} when the tokenizer config asks
 * for it, and trims. Immutable and thread-safe.
 */
final class TokenizerCodec implements TextCodec {
  static final long MAX_TOKENIZER_CONFIG_BYTES = 4 << 20;
  private static final Pattern NLLB_CODE = Pattern.compile("[a-z]{3}_[A-Z][a-z]{3}");
  /** Soko's languages in NLLB's FLORES-200 codes. */
  private static final Map<String, String> NLLB_CODES = Map.of("ja", "jpn_Jpan", "ko", "kor_Hang", "en", "eng_Latn",
      "zh", "zho_Hans", "de", "deu_Latn", "fr", "fra_Latn", "es", "spa_Latn");

  /** Where a model family puts its special tokens. */
  enum Convention { MARIAN, M2M100, NLLB }

  /** What Soko reads from {@code tokenizer_config.json}. */
  record TokenizerConfig(Optional<String> tokenizerClass, boolean legacyBehaviour, boolean cleanUpSpaces,
      String unknownToken, String eosToken) {
    static final TokenizerConfig DEFAULT = new TokenizerConfig(Optional.empty(), false, false, "<unk>", "</s>");

    static TokenizerConfig read(Path file) throws IOException, JsonFormatException {
      Node n = Json.parse(Files.readAllBytes(file), MAX_TOKENIZER_CONFIG_BYTES, "tokenizer_config.json");
      Optional<String> cls = n.opt("tokenizer_class").isPresent() ? Optional.of(n.get("tokenizer_class").text())
          : Optional.empty();
      boolean legacy = n.opt("legacy_behaviour").isPresent() && n.get("legacy_behaviour").bool();
      boolean clean = n.opt("clean_up_tokenization_spaces").isPresent()
          && n.get("clean_up_tokenization_spaces").bool();
      return new TokenizerConfig(cls, legacy, clean, token(n, "unk_token", "<unk>"), token(n, "eos_token", "</s>"));
    }

    /** A token named as a string or, in older files, as {"content": …}. */
    private static String token(Node n, String key, String fallback) throws JsonFormatException {
      Optional<Node> t = n.opt(key);
      if (t.isEmpty()) {
        return fallback;
      }
      return t.get().isString() ? t.get().text() : t.get().get("content").text();
    }
  }

  private final Tokenizer tokenizer;
  private final Convention convention;
  private final TokenizerConfig tokenizerConfig;
  private final int eos;
  private final OptionalInt unknown;

  private TokenizerCodec(Tokenizer tokenizer, Convention convention, TokenizerConfig tokenizerConfig, int eos) {
    this.tokenizer = tokenizer;
    this.convention = convention;
    this.tokenizerConfig = tokenizerConfig;
    this.eos = eos;
    this.unknown = tokenizer.tokenToId(tokenizerConfig.unknownToken());
  }

  /**
   * Checks the tokenizer against the model's config and its family's conventions.
   *
   * @throws ModelFormatException when the tokenizer and the config disagree, or the family cannot be told
   */
  static TokenizerCodec create(Tokenizer tokenizer, ModelConfig config, TokenizerConfig tokenizerConfig)
      throws ModelFormatException {
    Convention convention = switch (config.family()) {
      case MARIAN -> Convention.MARIAN;
      case M2M100 -> m2m100Convention(tokenizer, tokenizerConfig);
    };
    String eosName = tokenizerConfig.eosToken();
    OptionalInt eosId = tokenizer.tokenToId(eosName);
    if (eosId.isEmpty() || eosId.getAsInt() != config.primaryEos()) {
      throw new ModelFormatException("tokenizer.json's " + eosName + " is " + (eosId.isPresent() ? "id "
          + eosId.getAsInt() : "missing") + " but config.json's eos token is id " + config.primaryEos()
          + "; the files are from different models");
    }
    int largest = tokenizer.modelVocabSize() - 1;
    for (String special : tokenizer.specialTokens()) {
      largest = Math.max(largest, tokenizer.tokenToId(special).orElse(0));
    }
    if (largest >= config.vocabSize()) {
      throw new ModelFormatException("tokenizer.json has ids up to " + largest + " but config.json's vocabulary"
          + " has " + config.vocabSize() + " entries; the files are from different models");
    }
    TokenizerCodec codec = new TokenizerCodec(tokenizer, convention, tokenizerConfig, config.primaryEos());
    codec.checkTemplate();
    return codec;
  }

  private static Convention m2m100Convention(Tokenizer tokenizer, TokenizerConfig tc) throws ModelFormatException {
    if (tc.tokenizerClass().isPresent()) {
      String c = tc.tokenizerClass().get();
      if (c.startsWith("Nllb")) {
        return Convention.NLLB;
      }
      if (c.startsWith("M2M100")) {
        return Convention.M2M100;
      }
    }
    if (tokenizer.tokenToId("__en__").isPresent()) {
      return Convention.M2M100;
    }
    if (tokenizer.tokenToId("eng_Latn").isPresent()) {
      return Convention.NLLB;
    }
    throw new ModelFormatException("config.json says m2m_100 but the tokenizer has neither M2M100's language"
        + " tokens (__en__) nor NLLB's (eng_Latn), and tokenizer_config.json names no M2M100 or NLLB tokenizer"
        + " class; Soko cannot tell how to mark languages");
  }

  private boolean isLanguageToken(String token) {
    return switch (convention) {
      case MARIAN -> false;
      case M2M100 -> token.length() > 4 && token.startsWith("__") && token.endsWith("__");
      case NLLB -> NLLB_CODE.matcher(token).matches();
    };
  }

  /** The post-processor's template, if any, must be the convention's, up to which language it names. */
  private void checkTemplate() throws ModelFormatException {
    Optional<List<String>> template = tokenizer.template();
    if (template.isEmpty()) {
      return;
    }
    List<String> t = template.get();
    String eosName = tokenizerConfig.eosToken();
    boolean ok = switch (convention) {
      case MARIAN -> t.equals(List.of("$A", eosName));
      case M2M100 -> t.size() == 3 && isLanguageToken(t.get(0)) && t.get(1).equals("$A") && t.get(2).equals(eosName);
      case NLLB -> tokenizerConfig.legacyBehaviour()
          ? t.size() == 3 && t.get(0).equals("$A") && t.get(1).equals(eosName) && isLanguageToken(t.get(2))
          : t.size() == 3 && isLanguageToken(t.get(0)) && t.get(1).equals("$A") && t.get(2).equals(eosName);
    };
    if (!ok || !tokenizer.templateIds(eosName).equals(List.of(eos))) {
      throw new ModelFormatException("tokenizer.json's post-processor puts " + t + " around the text, but a "
          + convention.name().toLowerCase(java.util.Locale.ROOT) + " model expects " + expected() + "; the tokenizer"
          + " is not this model's");
    }
  }

  private String expected() {
    String e = tokenizerConfig.eosToken();
    return switch (convention) {
      case MARIAN -> "[$A, " + e + "]";
      case M2M100 -> "[__xx__, $A, " + e + "]";
      case NLLB -> tokenizerConfig.legacyBehaviour() ? "[$A, " + e + ", xxx_Xxxx]" : "[xxx_Xxxx, $A, " + e + "]";
    };
  }

  /** The id of a language's token. */
  int languageId(Language language) throws UnsupportedLanguageException {
    String token = switch (convention) {
      case MARIAN -> throw new IllegalStateException("Marian models have no language tokens");
      case M2M100 -> "__" + language.code() + "__";
      case NLLB -> NLLB_CODES.get(language.code());
    };
    OptionalInt id = token == null ? OptionalInt.empty() : tokenizer.tokenToId(token);
    if (id.isEmpty() || !tokenizer.isSpecial(token)) {
      throw new UnsupportedLanguageException("the model's tokenizer has no language token for " + language
          + (token == null ? "" : " (" + token + ")"));
    }
    return id.getAsInt();
  }

  @Override
  public int[] encodeText(String sentence) throws UnsupportedLanguageException {
    Tokenizer.Encoding e;
    try {
      e = tokenizer.encode(sentence, false, true);
    } catch (TokenizationException ex) {
      // A vocabulary without an unknown token and a character it lacks: the text cannot be translated.
      throw new UnsupportedLanguageException(ex.getMessage());
    }
    int[] ids = e.ids();
    for (int i = 0; i < ids.length; i++) {
      String text = e.tokens().get(i);
      if (unknown.isPresent() && !tokenizer.idToToken(ids[i]).map(text::equals).orElse(false)) {
        ids[i] = unknown.getAsInt();
      }
    }
    return ids;
  }

  @Override
  public long[] wrap(int[] text, Language from) throws UnsupportedLanguageException {
    List<Long> out = new ArrayList<>(text.length + 2);
    if (convention == Convention.M2M100 || (convention == Convention.NLLB && !tokenizerConfig.legacyBehaviour())) {
      out.add((long) languageId(from));
    }
    for (int id : text) {
      out.add((long) id);
    }
    out.add((long) eos);
    if (convention == Convention.NLLB && tokenizerConfig.legacyBehaviour()) {
      out.add((long) languageId(from));
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  @Override
  public Optional<Integer> forcedFirstToken(Language to) throws UnsupportedLanguageException {
    return convention == Convention.MARIAN ? Optional.empty() : Optional.of(languageId(to));
  }

  @Override
  public int specialTokenCount() {
    return convention == Convention.MARIAN ? 1 : 2;
  }

  @Override
  public String decode(int[] output) {
    String text = tokenizer.decode(output, true);
    if (tokenizerConfig.cleanUpSpaces()) {
      text = text.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
          .replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s").replace(" 've", "'ve")
          .replace(" 're", "'re");
    }
    return text.strip();
  }

  @Override
  public OptionalInt unknownId() {
    return unknown;
  }

  Convention convention() {
    return convention;
  }

  boolean approximatesNormalizer() {
    return tokenizer.approximatesNormalizer();
  }
}
