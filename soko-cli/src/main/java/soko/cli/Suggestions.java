package soko.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** "Did you mean": the known words closest to a mistyped one (commands, options, model names). */
final class Suggestions {
  /** At most this many suggestions. */
  static final int MAX = 3;

  private Suggestions() {}

  /**
   * The candidates within a few edits of {@code word} (one edit per three letters, at least one,
   * at most three; a swap of two neighbours is one edit), and those that start with it when it has
   * three letters or more or abbreviate it (its first letter, then the others in order, as clr for
   * clear), closest first. Case is ignored. Empty when nothing is close.
   */
  static List<String> closest(String word, Collection<String> candidates) {
    String w = word.toLowerCase(Locale.ROOT);
    int limit = Math.clamp(stripDashes(w).length() / 3, 1, 3);
    record Scored(String candidate, int distance) {}
    List<Scored> scored = new ArrayList<>();
    for (String c : new LinkedHashSet<>(candidates)) {
      String lc = c.toLowerCase(Locale.ROOT);
      if (lc.equals(w)) {
        continue;
      }
      int d = distance(w, lc);
      if (d <= limit) {
        scored.add(new Scored(c, d));
      } else if (stripDashes(w).length() >= 3 && lc.startsWith(w)) {
        scored.add(new Scored(c, limit + 1));
      } else if (stripDashes(w).length() >= 3 && abbreviates(stripDashes(w), stripDashes(lc))) {
        scored.add(new Scored(c, limit + 2));
      }
    }
    return scored.stream().sorted(Comparator.comparingInt(Scored::distance)).limit(MAX).map(Scored::candidate).toList();
  }

  /** "did you mean a, b or c?", or empty text when there is nothing to suggest. */
  static String didYouMean(List<String> suggestions) {
    if (suggestions.isEmpty()) {
      return "";
    }
    String last = suggestions.getLast();
    return "did you mean " + (suggestions.size() == 1 ? last
        : String.join(", ", suggestions.subList(0, suggestions.size() - 1)) + " or " + last) + "?";
  }

  /** True when {@code word} starts as {@code candidate} does and the rest of its letters follow in order. */
  private static boolean abbreviates(String word, String candidate) {
    if (candidate.isEmpty() || word.charAt(0) != candidate.charAt(0)) {
      return false;
    }
    int at = 1;
    for (int i = 1; i < word.length(); i++) {
      at = candidate.indexOf(word.charAt(i), at) + 1;
      if (at == 0) {
        return false;
      }
    }
    return true;
  }

  private static String stripDashes(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == '-') {
      i++;
    }
    return s.substring(i);
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
