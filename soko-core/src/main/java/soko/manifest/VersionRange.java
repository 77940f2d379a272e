package soko.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which engine versions a model works with: space-separated comparators that must all hold, such
 * as {@code >=1.20 <2}, or {@code *} for any. Versions compare numerically, dot by dot, missing
 * parts counting as 0; a pre-release suffix after '-' is ignored. Immutable and thread-safe.
 *
 * @param text the range as written: {@code *}, or comparators ({@code >=}, {@code >}, {@code <=},
 *     {@code <}, {@code =} or none for equal, each before a version of 1 to 4 numbers) separated by
 *     spaces; at most 64 characters
 */
public record VersionRange(String text) {
  private static final Pattern COMPARATOR = Pattern.compile("(>=|<=|>|<|=)?(\\d{1,9}(?:\\.\\d{1,9}){0,3})");

  /**
   * Checks the range.
   *
   * @throws IllegalArgumentException if {@code text} is blank, too long, or has a part that is not a
   *     comparator (the message names it)
   */
  public VersionRange {
    if (text == null || text.isBlank() || text.length() > 64) {
      throw new IllegalArgumentException("a version range is \"*\" or comparators such as \">=1.20 <2\"");
    }
    if (!text.equals("*")) {
      for (String part : text.trim().split("\\s+")) {
        if (!COMPARATOR.matcher(part).matches()) {
          throw new IllegalArgumentException("\"" + part + "\" is not a comparator; use >=, >, <=, < or = before a version like 1.20");
        }
      }
    }
  }

  /**
   * Reads a range.
   *
   * @param s such as {@code >=1.20 <2} or {@code *}
   * @return the range
   * @throws IllegalArgumentException if {@code s} is not a valid range
   */
  public static VersionRange parse(String s) {
    return new VersionRange(s);
  }

  /** Any version: {@code *}. */
  public static final VersionRange ANY = new VersionRange("*");

  /**
   * Whether a version satisfies every comparator.
   *
   * @param version an engine's version, such as {@code 1.29.0} or {@code 1.7.1-rc1}; a part that is
   *     not a number counts as 0
   * @return true when every comparator holds (always for {@code *})
   */
  public boolean contains(String version) {
    if (text.equals("*")) {
      return true;
    }
    List<Long> v = numbers(version);
    for (String part : text.trim().split("\\s+")) {
      Matcher m = COMPARATOR.matcher(part);
      if (!m.matches()) {
        return false;
      }
      String op = m.group(1) == null ? "=" : m.group(1);
      int c = compare(v, numbers(m.group(2)));
      boolean ok = switch (op) {
        case ">=" -> c >= 0;
        case "<=" -> c <= 0;
        case ">" -> c > 0;
        case "<" -> c < 0;
        default -> c == 0;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static List<Long> numbers(String version) {
    String core = version.split("[-+]", 2)[0];
    List<Long> out = new ArrayList<>();
    for (String p : core.split("\\.")) {
      try {
        out.add(Long.parseLong(p));
      } catch (NumberFormatException e) {
        out.add(0L);
      }
    }
    return out;
  }

  private static int compare(List<Long> a, List<Long> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      long x = i < a.size() ? a.get(i) : 0;
      long y = i < b.size() ? b.get(i) : 0;
      if (x != y) {
        return Long.compare(x, y);
      }
    }
    return 0;
  }

  @Override
  public String toString() {
    return text;
  }
}
