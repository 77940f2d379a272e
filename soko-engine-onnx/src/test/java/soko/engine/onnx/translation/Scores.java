package soko.engine.onnx.translation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Corpus BLEU and chrF as sacreBLEU 2 computes them by default, written from its definitions:
 * BLEU with the 13a tokenizer (mteval-v13a), 4-grams, the brevity penalty and "exp" smoothing; chrF
 * with character 6-grams, beta 2, whitespace removed, precision and recall averaged over the orders
 * before the F-score. One reference per hypothesis.
 */
final class Scores {
  private Scores() {}

  private static final Pattern PUNCTUATION = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
  private static final Pattern PERIOD_AFTER = Pattern.compile("([^0-9])([\\.,])");
  private static final Pattern PERIOD_BEFORE = Pattern.compile("([\\.,])([^0-9])");
  private static final Pattern DASH = Pattern.compile("([0-9])(-)");
  private static final Pattern SPACES = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  /** sacreBLEU's 13a tokenization. */
  static List<String> tokens(String s) {
    String line = s.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
    if (line.contains("&")) {
      line = line.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    }
    line = " " + line + " ";
    line = PUNCTUATION.matcher(line).replaceAll(" $1 ");
    line = PERIOD_AFTER.matcher(line).replaceAll("$1 $2 ");
    line = PERIOD_BEFORE.matcher(line).replaceAll(" $1 $2");
    line = DASH.matcher(line).replaceAll("$1 $2 ");
    String t = SPACES.matcher(line).replaceAll(" ").strip();
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
    long[] correct = new long[4];
    long[] totals = new long[4];
    long sysLength = 0;
    long refLength = 0;
    for (int i = 0; i < hypotheses.size(); i++) {
      List<String> h = tokens(hypotheses.get(i));
      List<String> r = tokens(references.get(i));
      sysLength += h.size();
      refLength += r.size();
      for (int n = 1; n <= 4; n++) {
        Map<String, Integer> hn = ngrams(h, n);
        Map<String, Integer> rn = ngrams(r, n);
        for (var e : hn.entrySet()) {
          correct[n - 1] += Math.min(e.getValue(), rn.getOrDefault(e.getKey(), 0));
        }
        totals[n - 1] += Math.max(0, h.size() - n + 1);
      }
    }
    double bp = sysLength >= refLength ? 1 : sysLength > 0 ? Math.exp(1 - (double) refLength / sysLength) : 0;
    if (correct[0] + correct[1] + correct[2] + correct[3] == 0) {
      return 0;
    }
    double[] precisions = new double[4];
    double smooth = 1;
    for (int n = 0; n < 4; n++) {
      if (totals[n] == 0) {
        break;
      }
      if (correct[n] == 0) {
        smooth *= 2;
        precisions[n] = 100.0 / (smooth * totals[n]);
      } else {
        precisions[n] = 100.0 * correct[n] / totals[n];
      }
    }
    double logSum = 0;
    for (double p : precisions) {
      logSum += p == 0 ? -9999999999.0 : Math.log(p);
    }
    return bp * Math.exp(logSum / 4);
  }

  private static Map<String, Integer> charGrams(String s, int n) {
    String t = SPACES.matcher(s).replaceAll("");
    Map<String, Integer> m = new HashMap<>();
    int[] cps = t.codePoints().toArray();
    for (int i = 0; i + n <= cps.length; i++) {
      m.merge(new String(cps, i, n), 1, Integer::sum);
    }
    return m;
  }

  /** Corpus chrF in [0, 100]. */
  static double chrf(List<String> hypotheses, List<String> references) {
    double beta2 = 4;
    double precision = 0;
    double recall = 0;
    int effective = 0;
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
      if (hypCount > 0 && refCount > 0) {
        precision += (double) match / hypCount;
        recall += (double) match / refCount;
        effective++;
      }
    }
    if (effective == 0) {
      return 0;
    }
    precision /= effective;
    recall /= effective;
    return precision + recall == 0 ? 0 : 100 * (1 + beta2) * precision * recall / (beta2 * precision + recall);
  }
}
