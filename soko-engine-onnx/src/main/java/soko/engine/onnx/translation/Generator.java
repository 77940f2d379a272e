package soko.engine.onnx.translation;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Greedy and beam-search decoding over {@link Seq2SeqOnnx} with the KV cache, following the
 * transformers logits processors and their order: repetition penalty, no-repeat n-grams, banned
 * words, minimum length, then the forced first token (the target language of multilingual models)
 * and the forced eos at the last position, each of which leaves its token as the only choice with
 * log-probability 0. Decoding starts from the decoder start token and stops at eos or when the output
 * reaches {@code max_length} tokens counting the start token. As in transformers, greedy search
 * processes raw logits and beam search log-probabilities; the sequences the processors look at
 * include the start token.
 *
 * <p>Outputs exclude the start token and the eos; a forced first token is part of the output.
 * Stateless apart from its configuration; thread-safe.
 */
final class Generator {
  /** Receives the raw logits of every step; for tests. */
  interface StepObserver {
    StepObserver NONE = (step, logits) -> { };

    void step(int step, Seq2SeqOnnx.Logits logits);
  }

  private final Seq2SeqOnnx model;
  private final ModelConfig config;

  Generator(Seq2SeqOnnx model, ModelConfig config) {
    this.model = model;
    this.config = config;
  }

  private int maxNewTokens() {
    return config.maxLength() - 1;
  }

  /**
   * Applies the logits processors in place.
   *
   * @param history the generated tokens so far, without the start token
   * @param forcedFirst the token to force at the first position, if any
   */
  private void process(float[] scores, List<Integer> history, Optional<Integer> forcedFirst) {
    int curLen = history.size() + 1; // transformers counts the start token
    if (config.repetitionPenalty() != 1.0) {
      Set<Integer> seen = new HashSet<>(history);
      seen.add(config.decoderStartId());
      float penalty = (float) config.repetitionPenalty();
      for (int t : seen) {
        if (t >= 0 && t < scores.length) {
          scores[t] = scores[t] < 0 ? scores[t] * penalty : scores[t] / penalty;
        }
      }
    }
    int n = config.noRepeatNgramSize();
    if (n > 0 && curLen + 1 >= n) {
      List<Integer> seq = new ArrayList<>(curLen);
      seq.add(config.decoderStartId());
      seq.addAll(history);
      List<Integer> prefix = seq.subList(curLen + 1 - n, curLen);
      for (int i = 0; i + n <= seq.size(); i++) {
        if (seq.subList(i, i + n - 1).equals(prefix)) {
          scores[seq.get(i + n - 1)] = Float.NEGATIVE_INFINITY;
        }
      }
    }
    for (List<Integer> bad : config.badWords()) {
      int m = bad.size();
      if (m - 1 <= history.size() && history.subList(history.size() - (m - 1), history.size()).equals(bad.subList(0, m - 1))) {
        scores[bad.get(m - 1)] = Float.NEGATIVE_INFINITY;
      }
    }
    if (curLen < config.minLength()) {
      for (int eos : config.eosIds()) {
        scores[eos] = Float.NEGATIVE_INFINITY;
      }
    }
    Optional<Integer> forced = history.isEmpty() ? forcedFirst.or(config::forcedBosId) : Optional.empty();
    if (config.forcedEosId().isPresent() && curLen == config.maxLength() - 1) {
      forced = config.forcedEosId(); // transformers runs the forced-eos processor after the forced-bos one
    }
    if (forced.isPresent()) {
      Arrays.fill(scores, Float.NEGATIVE_INFINITY);
      scores[forced.get()] = 0;
    }
  }

  /** Greedy decoding of a batch with nothing forced; ties go to the lowest token id. */
  List<int[]> greedy(long[][] sources, StepObserver observer) throws OrtException {
    return greedy(sources, Optional.empty(), observer);
  }

  /** Greedy decoding of a batch; ties go to the lowest token id. */
  List<int[]> greedy(long[][] sources, Optional<Integer> forcedFirst, StepObserver observer) throws OrtException {
    int batch = sources.length;
    List<List<Integer>> out = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      out.add(new ArrayList<>());
    }
    boolean[] finished = new boolean[batch];
    long[] tokens = new long[batch];
    Arrays.fill(tokens, config.decoderStartId());
    try (Seq2SeqOnnx.Encoded enc = model.encode(sources)) {
      Seq2SeqOnnx.Started started = model.firstStep(enc, column(tokens));
      try (Seq2SeqOnnx.Cache cache = started.cache()) {
        Seq2SeqOnnx.Logits logits = started.logits();
        for (int step = 0; ; step++) {
          observer.step(step, logits);
          int remaining = 0;
          for (int b = 0; b < batch; b++) {
            if (finished[b]) {
              tokens[b] = config.padId();
              continue;
            }
            float[] scores = Arrays.copyOfRange(logits.values(), b * logits.vocab(), (b + 1) * logits.vocab());
            process(scores, out.get(b), forcedFirst);
            int best = argmax(scores);
            tokens[b] = best;
            if (config.eosIds().contains(best)) {
              finished[b] = true;
            } else {
              out.get(b).add(best);
              if (out.get(b).size() >= maxNewTokens()) {
                finished[b] = true;
              } else {
                remaining++;
              }
            }
          }
          if (remaining == 0) {
            break;
          }
          logits = model.nextStep(enc, cache, tokens);
        }
      }
    }
    return out.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
  }

  private static long[][] column(long[] tokens) {
    long[][] c = new long[tokens.length][];
    for (int i = 0; i < tokens.length; i++) {
      c[i] = new long[] {tokens[i]};
    }
    return c;
  }

  private static int argmax(float[] scores) {
    int best = 0;
    for (int v = 1; v < scores.length; v++) {
      if (scores[v] > scores[best]) {
        best = v;
      }
    }
    return best;
  }

  /** A finished hypothesis. */
  private record Hypothesis(double score, int[] tokens) {}

  /** The finished hypotheses of one input, keeping the best {@code beams}. */
  private final class Finished {
    final List<Hypothesis> hyps = new ArrayList<>();
    final int beams;
    boolean done;

    Finished(int beams) {
      this.beams = beams;
    }

    double normalized(double sumLogProbs, int length) {
      return sumLogProbs / Math.pow(length, config.lengthPenalty());
    }

    void add(List<Integer> tokens, double sumLogProbs) {
      // Length counts the start token, as transformers does, so an immediate eos divides by 1.
      double score = normalized(sumLogProbs, tokens.size() + 1);
      hyps.add(new Hypothesis(score, tokens.stream().mapToInt(Integer::intValue).toArray()));
      if (hyps.size() > beams) {
        int worst = 0;
        for (int i = 1; i < hyps.size(); i++) {
          if (hyps.get(i).score() < hyps.get(worst).score()) {
            worst = i;
          }
        }
        hyps.remove(worst);
      }
    }

    double worst() {
      return hyps.stream().mapToDouble(Hypothesis::score).min().orElse(Double.NEGATIVE_INFINITY);
    }

    int[] best() {
      Hypothesis best = hyps.getFirst();
      for (Hypothesis h : hyps) {
        if (h.score() > best.score()) {
          best = h;
        }
      }
      return best.tokens();
    }
  }

  /**
   * Beam search with {@code beams} beams per input. Candidates are ranked by total log-probability;
   * ties go to the lower beam, then the lower token id.
   */
  List<int[]> beam(long[][] sources, int beams, boolean earlyStopping) throws OrtException {
    return beam(sources, beams, earlyStopping, Optional.empty());
  }

  /** Beam search with a forced first token, if any. */
  List<int[]> beam(long[][] sources, int beams, boolean earlyStopping, Optional<Integer> forcedFirst)
      throws OrtException {
    int batch = sources.length;
    int rows = batch * beams;
    int vocab = model.geometry().vocab();
    double[] beamScores = new double[rows];
    List<List<Integer>> seqs = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      seqs.add(new ArrayList<>());
      beamScores[r] = r % beams == 0 ? 0 : Double.NEGATIVE_INFINITY;
    }
    List<Finished> finished = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      finished.add(new Finished(beams));
    }
    long[] tokens = new long[rows];
    Arrays.fill(tokens, config.decoderStartId());
    try (Seq2SeqOnnx.Encoded single = model.encode(sources);
        Seq2SeqOnnx.Encoded enc = single.repeat(beams)) {
      Seq2SeqOnnx.Started started = model.firstStep(enc, column(tokens));
      try (Seq2SeqOnnx.Cache cache = started.cache()) {
        Seq2SeqOnnx.Logits logits = started.logits();
        for (int step = 0; step < maxNewTokens(); step++) {
          double[] scores = new double[rows * vocab];
          for (int r = 0; r < rows; r++) {
            float[] row = Arrays.copyOfRange(logits.values(), r * vocab, (r + 1) * vocab);
            logSoftmax(row);
            process(row, seqs.get(r), forcedFirst);
            for (int v = 0; v < vocab; v++) {
              scores[r * vocab + v] = beamScores[r] + row[v];
            }
          }
          int[] origins = new int[rows];
          long[] next = new long[rows];
          double[] nextScores = new double[rows];
          List<List<Integer>> nextSeqs = new ArrayList<>();
          for (int b = 0; b < batch; b++) {
            Finished f = finished.get(b);
            if (f.done) {
              for (int k = 0; k < beams; k++) {
                int r = b * beams + k;
                origins[r] = r;
                next[r] = config.padId();
                nextScores[r] = Double.NEGATIVE_INFINITY;
                nextSeqs.add(seqs.get(r));
              }
              continue;
            }
            int[] candidates = topCandidates(scores, b * beams, beams, vocab, 2 * beams);
            int kept = 0;
            for (int rank = 0; rank < candidates.length && kept < beams; rank++) {
              int c = candidates[rank];
              int row = b * beams + c / vocab;
              int token = c % vocab;
              double score = scores[row * vocab + token];
              if (score == Double.NEGATIVE_INFINITY) {
                break;
              }
              if (config.eosIds().contains(token)) {
                if (rank < beams) {
                  f.add(seqs.get(row), score);
                }
                continue;
              }
              int r = b * beams + kept;
              origins[r] = row;
              next[r] = token;
              nextScores[r] = score;
              List<Integer> s = new ArrayList<>(seqs.get(row));
              s.add(token);
              nextSeqs.add(s);
              kept++;
            }
            for (; kept < beams; kept++) {
              int r = b * beams + kept;
              origins[r] = b * beams;
              next[r] = config.padId();
              nextScores[r] = Double.NEGATIVE_INFINITY;
              nextSeqs.add(new ArrayList<>(seqs.get(b * beams)));
            }
            double bestAlive = nextScores[b * beams];
            int aliveLength = step + 2; // start token plus the tokens after this step
            if (f.hyps.size() >= beams
                && (earlyStopping || f.worst() >= f.normalized(bestAlive, aliveLength))) {
              f.done = true;
            }
            if (bestAlive == Double.NEGATIVE_INFINITY) {
              f.done = true;
            }
          }
          seqs = nextSeqs;
          beamScores = nextScores;
          tokens = next;
          if (finished.stream().allMatch(f -> f.done) || step + 1 == maxNewTokens()) {
            break;
          }
          cache.reorder(origins);
          logits = model.nextStep(enc, cache, tokens);
        }
      }
    }
    List<int[]> out = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      Finished f = finished.get(b);
      if (!f.done) {
        for (int k = 0; k < beams; k++) {
          int r = b * beams + k;
          if (beamScores[r] != Double.NEGATIVE_INFINITY) {
            f.add(seqs.get(r), beamScores[r]);
          }
        }
      }
      out.add(f.hyps.isEmpty() ? new int[0] : f.best());
    }
    return out;
  }

  /** The best {@code count} flat indices (beam * vocab + token) of one input's beams, best first. */
  private static int[] topCandidates(double[] scores, int firstRow, int beams, int vocab, int count) {
    int n = beams * vocab;
    int[] best = new int[Math.min(count, n)];
    double[] bestScore = new double[best.length];
    Arrays.fill(bestScore, Double.NEGATIVE_INFINITY);
    Arrays.fill(best, -1);
    int base = firstRow * vocab;
    for (int i = 0; i < n; i++) {
      double s = scores[base + i];
      int last = best.length - 1;
      if (best[last] != -1 && !(s > bestScore[last])) {
        continue;
      }
      int pos = last;
      while (pos > 0 && (best[pos - 1] == -1 || s > bestScore[pos - 1])) {
        best[pos] = best[pos - 1];
        bestScore[pos] = bestScore[pos - 1];
        pos--;
      }
      best[pos] = i;
      bestScore[pos] = s;
    }
    return Arrays.stream(best).filter(i -> i >= 0).toArray();
  }

  private static void logSoftmax(float[] row) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : row) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : row) {
      sum += Math.exp(v - max);
    }
    float log = (float) (max + Math.log(sum));
    for (int i = 0; i < row.length; i++) {
      row[i] -= log;
    }
  }
}
