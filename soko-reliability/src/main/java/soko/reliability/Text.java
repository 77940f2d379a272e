package soko.reliability;

import java.util.regex.Pattern;

/** Small helpers for the text that child processes print. */
final class Text {
  private Text() {}

  /**
   * A JVM stack trace: an "at pkg.Class.method(File.java:12)" frame, "Caused by:", or the JVM's
   * "Exception in thread" header. Soko prints traces only with {@code --verbose}.
   */
  private static final Pattern TRACE = Pattern.compile(
      "(?m)(^\\s+at [\\w$.<>/]+\\(.*\\)\\s*$)|(^Caused by: )|(^Exception in thread )|(^\\s+\\.\\.\\. \\d+ more\\s*$)");

  /** An unexpected exception shown by name instead of a message ("internal error: java.lang.…"). */
  private static final Pattern INTERNAL = Pattern.compile("internal error");

  static boolean hasTrace(String text) {
    return TRACE.matcher(text).find();
  }

  static boolean hasInternalError(String text) {
    return INTERNAL.matcher(text).find();
  }

  /** At most {@code max} characters, with control characters shown as \\uXXXX so reports stay one line each. */
  static String clip(String s, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.length() >= max ? b + "…" : b.toString();
  }
}
