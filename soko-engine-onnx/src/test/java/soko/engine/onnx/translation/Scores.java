package soko.engine.onnx.translation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU (sacreBLEU's default: 13a-like tokenization, 4-grams, brevity penalty, no smoothing)
 * and chrF (character 6-grams, beta 2, whitespace removed), written from their published definitions.
 */
final class Scores {
  private Scores() {}

  static List<String> tokens(String s) {
    String t = s.replaceAll("([\\p{Punct}])", " $1 ").replaceAll("\\s+", " ").strip();
    return t.isEmpty() ? List.of() : List.of(t.split(" "));
  }

  private static Map<String, Integer> ngrams(List<String> words, int n) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i + n <= words.size(); i++) {
      m.merge(String.join(" ", words.subList(i, i + n)), 1, Integer::sum);
    }
    return m;
  }

  /** BLEU in [0, 100]. */
  static double bleu(List<String> hypotheses, List<String> references) {
    long[] matches = new long[4];
    long[] totals = new long[4];
    long hypLength = 0;
    long refLength = 0;
    for (int i = 0; i < hypotheses.size(); i++) {
      List<String> h = tokens(hypotheses.get(i));
      List<String> r = tokens(references.get(i));
      hypLength += h.size();
      refLength += r.size();
      for (int n = 1; n <= 4; n++) {
        Map<String, Integer> hn = ngrams(h, n);
        Map<String, Integer> rn = ngrams(r, n);
        for (var e : hn.entrySet()) {
          matches[n - 1] += Math.min(e.getValue(), rn.getOrDefault(e.getKey(), 0));
        }
        totals[n - 1] += Math.max(0, h.size() - n + 1);
      }
    }
    double logSum = 0;
    for (int n = 0; n < 4; n++) {
      if (matches[n] == 0 || totals[n] == 0) {
        return 0;
      }
      logSum += Math.log((double) matches[n] / totals[n]);
    }
    double bp = hypLength >= refLength ? 1 : Math.exp(1 - (double) refLength / Math.max(1, hypLength));
    return 100 * bp * Math.exp(logSum / 4);
  }

  private static Map<String, Integer> charGrams(String s, int n) {
    String t = s.replaceAll("\\s+", "");
    Map<String, Integer> m = new HashMap<>();
    int[] cps = t.codePoints().toArray();
    for (int i = 0; i + n <= cps.length; i++) {
      m.merge(new String(cps, i, n), 1, Integer::sum);
    }
    return m;
  }

  /** Corpus chrF in [0, 100]: n-gram statistics summed over sentences, then averaged over n = 1..6. */
  static double chrf(List<String> hypotheses, List<String> references) {
    double beta2 = 4;
    double total = 0;
    int orders = 0;
    for (int n = 1; n <= 6; n++) {
      long match = 0;
      long hypCount = 0;
      long refCount = 0;
      for (int i = 0; i < hypotheses.size(); i++) {
        Map<String, Integer> h = charGrams(hypotheses.get(i), n);
        Map<String, Integer> r = charGrams(references.get(i), n);
        for (var e : h.entrySet()) {
          match += Math.min(e.getValue(), r.getOrDefault(e.getKey(), 0));
        }
        hypCount += h.values().stream().mapToInt(Integer::intValue).sum();
        refCount += r.values().stream().mapToInt(Integer::intValue).sum();
      }
      double p = hypCount == 0 ? 0 : (double) match / hypCount;
      double rc = refCount == 0 ? 0 : (double) match / refCount;
      total += p + rc == 0 ? 0 : (1 + beta2) * p * rc / (beta2 * p + rc);
      orders++;
    }
    return 100 * total / orders;
  }
}
