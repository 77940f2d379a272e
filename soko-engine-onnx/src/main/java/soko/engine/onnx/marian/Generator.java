package soko.engine.onnx.marian;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy and beam-search decoding over {@link MarianOnnx} with the KV cache, following the
 * transformers conventions: the decoder starts from the decoder start token, banned words get
 * -infinity, the forced eos (if configured) is the only choice at the last position, and decoding
 * stops at eos or when the output reaches {@code max_length} tokens counting the start token.
 *
 * <p>Outputs exclude the start token and the eos. Stateless apart from its configuration; thread-safe.
 */
final class Generator {
  /** Receives the raw logits of every step; for tests. */
  interface StepObserver {
    StepObserver NONE = (step, logits) -> { };

    void step(int step, MarianOnnx.Logits logits);
  }

  private final MarianOnnx model;
  private final MarianConfig config;

  Generator(MarianOnnx model, MarianConfig config) {
    this.model = model;
    this.config = config;
  }

  private int maxNewTokens() {
    return config.maxLength() - 1;
  }

  /**
   * Bans tokens in place: bad words whose prefix matches the end of {@code history}, and everything
   * but the forced eos at the last allowed position.
   *
   * @param history the generated tokens so far, without the start token
   */
  private void process(float[] scores, int offset, int vocab, List<Integer> history) {
    for (List<Integer> bad : config.badWords()) {
      int n = bad.size();
      if (n - 1 <= history.size() && history.subList(history.size() - (n - 1), history.size()).equals(bad.subList(0, n - 1))) {
        scores[offset + bad.get(n - 1)] = Float.NEGATIVE_INFINITY;
      }
    }
    if (config.forcedEosId().isPresent() && history.size() + 1 == maxNewTokens()) {
      int eos = config.forcedEosId().get();
      for (int v = 0; v < vocab; v++) {
        if (v != eos) {
          scores[offset + v] = Float.NEGATIVE_INFINITY;
        }
      }
    }
  }

  /** Greedy decoding of a batch; ties go to the lowest token id. */
  List<int[]> greedy(long[][] sources, StepObserver observer) throws OrtException {
    int batch = sources.length;
    List<List<Integer>> out = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      out.add(new ArrayList<>());
    }
    boolean[] finished = new boolean[batch];
    long[] tokens = new long[batch];
    Arrays.fill(tokens, config.decoderStartId());
    try (MarianOnnx.Encoded enc = model.encode(sources)) {
      MarianOnnx.Started started = model.firstStep(enc, column(tokens));
      try (MarianOnnx.Cache cache = started.cache()) {
        MarianOnnx.Logits logits = started.logits();
        for (int step = 0; ; step++) {
          observer.step(step, logits);
          int remaining = 0;
          for (int b = 0; b < batch; b++) {
            if (finished[b]) {
              tokens[b] = config.padId();
              continue;
            }
            float[] scores = Arrays.copyOfRange(logits.values(), b * logits.vocab(), (b + 1) * logits.vocab());
            process(scores, 0, logits.vocab(), out.get(b));
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
    try (MarianOnnx.Encoded single = model.encode(sources);
        MarianOnnx.Encoded enc = single.repeat(beams)) {
      MarianOnnx.Started started = model.firstStep(enc, column(tokens));
      try (MarianOnnx.Cache cache = started.cache()) {
        MarianOnnx.Logits logits = started.logits();
        for (int step = 0; step < maxNewTokens(); step++) {
          double[] scores = new double[rows * vocab];
          for (int r = 0; r < rows; r++) {
            float[] row = Arrays.copyOfRange(logits.values(), r * vocab, (r + 1) * vocab);
            logSoftmax(row);
            process(row, 0, vocab, seqs.get(r));
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
