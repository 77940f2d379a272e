package soko.engine.onnx.marian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;

/**
 * What generation needs from {@code config.json}, overridden by {@code generation_config.json} when
 * present, with the transformers defaults for keys that are absent.
 *
 * @param badWords token sequences never to produce; a one-token sequence bans that token outright
 * @param maxLength the longest output counting the decoder start token
 * @param maxPositions the longest input the encoder accepts, counting the final eos
 */
record MarianConfig(int vocabSize, int padId, Set<Integer> eosIds, int decoderStartId, int maxLength, int numBeams,
    List<List<Integer>> badWords, Optional<Integer> forcedEosId, double lengthPenalty, boolean earlyStopping,
    int maxPositions) {
  static final long MAX_CONFIG_BYTES = 1 << 20;
  static final int MAX_TOKEN_ID = 10_000_000;

  MarianConfig {
    eosIds = Set.copyOf(eosIds);
    badWords = badWords.stream().map(List::copyOf).toList();
    if (eosIds.isEmpty()) {
      throw new IllegalArgumentException("no eos token");
    }
    if (maxLength < 2 || numBeams < 1 || maxPositions < 2) {
      throw new IllegalArgumentException("max_length < 2, num_beams < 1 or max_position_embeddings < 2");
    }
  }

  int primaryEos() {
    return forcedEosId.orElseGet(() -> eosIds.stream().min(Integer::compare).orElseThrow());
  }

  static MarianConfig read(Path config, Optional<Path> generation) throws IOException, JsonProblem {
    Node c = Json.parse(Files.readAllBytes(config), MAX_CONFIG_BYTES, "config.json");
    Optional<Node> gen = generation.isPresent()
        ? Optional.of(Json.parse(Files.readAllBytes(generation.get()), MAX_CONFIG_BYTES, "generation_config.json"))
        : Optional.empty();
    int vocab = (int) c.opt("decoder_vocab_size").filter(n -> !n.raw().isNull()).orElse(c.get("vocab_size"))
        .integer(2, MAX_TOKEN_ID);
    int pad = (int) pick(c, gen, "pad_token_id").orElseThrow(() -> c.problem("pad_token_id is missing"))
        .integer(0, vocab - 1);
    Node eosNode = pick(c, gen, "eos_token_id").orElseThrow(() -> c.problem("eos_token_id is missing"));
    Set<Integer> eos = new java.util.HashSet<>();
    if (eosNode.raw().isArray()) {
      for (Node n : eosNode.array(16)) {
        eos.add((int) n.integer(0, vocab - 1));
      }
    } else {
      eos.add((int) eosNode.integer(0, vocab - 1));
    }
    int start = optInt(c, gen, "decoder_start_token_id", 0, vocab - 1).orElse(pad);
    int maxLength = optInt(c, gen, "max_length", 2, 1 << 16).orElse(20);
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
    Optional<Integer> forcedEos = optInt(c, gen, "forced_eos_token_id", 0, vocab - 1);
    double lengthPenalty = 1.0;
    Optional<Node> lp = pick(c, gen, "length_penalty");
    if (lp.isPresent()) {
      if (!lp.get().raw().isNumber()) {
        throw lp.get().problem("expected a number");
      }
      lengthPenalty = lp.get().raw().asDouble();
    }
    Optional<Node> earlyNode = pick(c, gen, "early_stopping");
    // transformers also allows "never", which behaves like false here.
    boolean early = earlyNode.isPresent() && earlyNode.get().raw().isBoolean() && earlyNode.get().bool();
    int positions = optInt(c, Optional.empty(), "max_position_embeddings", 2, 1 << 16).orElse(512);
    return new MarianConfig(vocab, pad, eos, start, maxLength, beams, bad, forcedEos, lengthPenalty, early, positions);
  }

  private static Optional<Integer> optInt(Node config, Optional<Node> generation, String key, int min, int max)
      throws JsonProblem {
    Optional<Node> n = pick(config, generation, key);
    return n.isPresent() ? Optional.of((int) n.get().integer(min, max)) : Optional.empty();
  }

  /** A key from generation_config.json if there, else from config.json; JSON null counts as absent. */
  private static Optional<Node> pick(Node config, Optional<Node> generation, String key) {
    if (generation.isPresent()) {
      Optional<Node> n = generation.get().opt(key).filter(v -> !v.raw().isNull());
      if (n.isPresent()) {
        return n;
      }
    }
    return config.opt(key).filter(v -> !v.raw().isNull());
  }
}
