package soko.engine.onnx.translation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import soko.engine.onnx.json.Json;
import soko.engine.onnx.json.JsonFormatException;
import soko.engine.onnx.json.Node;

/**
 * What generation needs from {@code config.json}, overridden by {@code generation_config.json} when
 * present, with the transformers defaults for keys that are absent.
 *
 * <p>Honoured keys: {@code model_type}, {@code vocab_size} / {@code decoder_vocab_size},
 * {@code pad_token_id}, {@code eos_token_id} (one or a list), {@code decoder_start_token_id},
 * {@code max_length}, {@code max_new_tokens}, {@code min_length}, {@code num_beams},
 * {@code length_penalty}, {@code early_stopping}, {@code bad_words_ids}, {@code forced_bos_token_id},
 * {@code forced_eos_token_id}, {@code no_repeat_ngram_size}, {@code repetition_penalty} and
 * {@code max_position_embeddings}. Sampling ({@code do_sample: true}) and diverse beam search
 * ({@code num_beam_groups} over 1) are refused: Soko decodes deterministically.
 *
 * @param family the architecture named by {@code model_type}
 * @param badWords token sequences never to produce; a one-token sequence bans that token outright
 * @param maxLength the longest output counting the decoder start token
 * @param minLength the shortest output counting the decoder start token: eos is banned before it
 * @param forcedBosId the token forced right after the decoder start token, when the config names one
 * @param noRepeatNgramSize 0, or the length of n-grams that may not occur twice in an output
 * @param repetitionPenalty 1, or the CTRL penalty on tokens already in the output
 * @param maxPositions the longest input the encoder accepts, counting the special tokens
 */
record ModelConfig(Family family, int vocabSize, int padId, Set<Integer> eosIds, int decoderStartId, int maxLength,
    int minLength, int numBeams, List<List<Integer>> badWords, Optional<Integer> forcedBosId,
    Optional<Integer> forcedEosId, double lengthPenalty, boolean earlyStopping, int noRepeatNgramSize,
    double repetitionPenalty, int maxPositions) {
  static final long MAX_CONFIG_BYTES = 1 << 20;
  static final int MAX_TOKEN_ID = 10_000_000;

  /** The model architectures Soko runs, by {@code config.json}'s {@code model_type}. */
  enum Family {
    /** {@code marian}: OPUS-MT and other Marian models; one language pair per model. */
    MARIAN("marian"),
    /** {@code m2m_100}: M2M100 and NLLB-200, many languages in one model, chosen by language tokens. */
    M2M100("m2m_100");

    final String modelType;

    Family(String modelType) {
      this.modelType = modelType;
    }
  }

  ModelConfig {
    eosIds = Set.copyOf(eosIds);
    badWords = badWords.stream().map(List::copyOf).toList();
    if (eosIds.isEmpty()) {
      throw new IllegalArgumentException("no eos token");
    }
    if (maxLength < 2 || numBeams < 1 || maxPositions < 2 || minLength < 0 || noRepeatNgramSize < 0
        || !(repetitionPenalty > 0)) {
      throw new IllegalArgumentException("max_length < 2, num_beams < 1, max_position_embeddings < 2, min_length < 0,"
          + " no_repeat_ngram_size < 0 or repetition_penalty <= 0");
    }
  }

  int primaryEos() {
    return forcedEosId.orElseGet(() -> eosIds.stream().min(Integer::compare).orElseThrow());
  }

  /** A copy with another beam count, for tests and benchmarks. */
  ModelConfig withBeams(int beams) {
    return new ModelConfig(family, vocabSize, padId, eosIds, decoderStartId, maxLength, minLength, beams, badWords,
        forcedBosId, forcedEosId, lengthPenalty, earlyStopping, noRepeatNgramSize, repetitionPenalty, maxPositions);
  }

  static ModelConfig read(Path config, Optional<Path> generation) throws IOException, JsonFormatException {
    Node c = Json.parse(Files.readAllBytes(config), MAX_CONFIG_BYTES, "config.json");
    Optional<Node> gen = generation.isPresent()
        ? Optional.of(Json.parse(Files.readAllBytes(generation.get()), MAX_CONFIG_BYTES, "generation_config.json"))
        : Optional.empty();
    Node typeNode = c.get("model_type");
    Family family = null;
    for (Family f : Family.values()) {
      if (f.modelType.equals(typeNode.text())) {
        family = f;
      }
    }
    if (family == null) {
      throw typeNode.problem("\"" + typeNode.text() + "\" is not a model Soko translates with; it runs marian"
          + " (OPUS-MT) and m2m_100 (M2M100, NLLB-200)");
    }
    int vocab = (int) (c.opt("decoder_vocab_size").isPresent() ? c.get("decoder_vocab_size") : c.get("vocab_size"))
        .integer(2, MAX_TOKEN_ID);
    int pad = (int) pick(c, gen, "pad_token_id").orElseThrow(() -> c.problem("pad_token_id is missing"))
        .integer(0, vocab - 1);
    Node eosNode = pick(c, gen, "eos_token_id").orElseThrow(() -> c.problem("eos_token_id is missing"));
    Set<Integer> eos = new HashSet<>();
    if (eosNode.isArray()) {
      for (Node n : eosNode.array(16)) {
        eos.add((int) n.integer(0, vocab - 1));
      }
    } else {
      eos.add((int) eosNode.integer(0, vocab - 1));
    }
    int start = optInt(c, gen, "decoder_start_token_id", 0, vocab - 1).orElse(pad);
    int maxLength = optInt(c, gen, "max_length", 2, 1 << 16).orElse(20);
    Optional<Integer> maxNew = optInt(c, gen, "max_new_tokens", 1, 1 << 16);
    if (maxNew.isPresent()) {
      maxLength = maxNew.get() + 1; // transformers: max_new_tokens wins over max_length
    }
    int minLength = optInt(c, gen, "min_length", 0, 1 << 16).orElse(0);
    int beams = optInt(c, gen, "num_beams", 1, 64).orElse(1);
    List<List<Integer>> bad = new ArrayList<>();
    Optional<Node> badNode = pick(c, gen, "bad_words_ids");
    if (badNode.isPresent()) {
      for (Node seq : badNode.get().array(10_000)) {
        List<Integer> ids = new ArrayList<>();
        for (Node id : seq.array(64)) {
          ids.add((int) id.integer(0, vocab - 1));
        }
        if (!ids.isEmpty()) {
          bad.add(ids);
        }
      }
    }
    Optional<Integer> forcedBos = optInt(c, gen, "forced_bos_token_id", 0, vocab - 1);
    Optional<Integer> forcedEos = optInt(c, gen, "forced_eos_token_id", 0, vocab - 1);
    double lengthPenalty = optDouble(c, gen, "length_penalty").orElse(1.0);
    Optional<Node> earlyNode = pick(c, gen, "early_stopping");
    // transformers also allows "never", which behaves like false here.
    boolean early = earlyNode.isPresent() && earlyNode.get().isBoolean() && earlyNode.get().bool();
    int noRepeat = optInt(c, gen, "no_repeat_ngram_size", 0, 64).orElse(0);
    double repetition = optDouble(c, gen, "repetition_penalty").orElse(1.0);
    if (!(repetition > 0)) {
      throw pick(c, gen, "repetition_penalty").orElseThrow().problem("must be above 0");
    }
    Optional<Node> sample = pick(c, gen, "do_sample");
    if (sample.isPresent() && sample.get().bool()) {
      throw sample.get().problem("asks for sampling; Soko decodes deterministically (greedy or beam search)");
    }
    Optional<Integer> groups = optInt(c, gen, "num_beam_groups", 1, 64);
    if (groups.isPresent() && groups.get() > 1) {
      throw pick(c, gen, "num_beam_groups").orElseThrow().problem("asks for diverse beam search, which Soko does"
          + " not run");
    }
    int positions = optInt(c, Optional.empty(), "max_position_embeddings", 2, 1 << 16).orElse(512);
    return new ModelConfig(family, vocab, pad, eos, start, maxLength, minLength, beams, bad, forcedBos, forcedEos,
        lengthPenalty, early, noRepeat, repetition, positions);
  }

  private static Optional<Integer> optInt(Node config, Optional<Node> generation, String key, int min, int max)
      throws JsonFormatException {
    Optional<Node> n = pick(config, generation, key);
    return n.isPresent() ? Optional.of((int) n.get().integer(min, max)) : Optional.empty();
  }

  private static Optional<Double> optDouble(Node config, Optional<Node> generation, String key)
      throws JsonFormatException {
    Optional<Node> n = pick(config, generation, key);
    return n.isPresent() ? Optional.of(n.get().number()) : Optional.empty();
  }

  /** A key from generation_config.json if there, else from config.json; JSON null counts as absent. */
  private static Optional<Node> pick(Node config, Optional<Node> generation, String key) throws JsonFormatException {
    if (generation.isPresent()) {
      Optional<Node> n = generation.get().opt(key);
      if (n.isPresent()) {
        return n;
      }
    }
    return config.opt(key);
  }
}
