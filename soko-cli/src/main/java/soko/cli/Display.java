package soko.cli;

/**
 * The one output sanitizer of the CLI: every string that came from outside (manifests, catalogs,
 * servers, file names, model output, exception messages that quote any of them) goes through
 * {@link #safe} before it reaches a terminal or a one-line error. JSON output does not: its writer
 * escapes by itself.
 *
 * <p>What it escapes, so that text can neither move the cursor, erase or overwrite a line, ring the
 * bell, change the title or colours, nor make one name display as another:
 *
 * <ul>
 *   <li>control characters: C0 (U+0000–U+001F, including ESC, BEL, NUL, CR and LF), DEL (U+007F)
 *       and C1 (U+0080–U+009F, including the one-byte CSI U+009B);
 *   <li>invisible characters: format characters (Unicode category Cf, among them the bidi
 *       embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E,
 *       U+200F and U+061C, zero-width characters and the byte order mark), the line and paragraph
 *       separators U+2028 and U+2029, other default-ignorable code points (fillers, variation
 *       selectors) and lone surrogates.
 * </ul>
 *
 * Each becomes visible text: {@code \n}, {@code \r} and {@code \t} for those three, <code>&#92;u001b</code>
 * style for the rest (eight hex digits after {@code \U} outside the Basic Multilingual Plane). A
 * line break inside an error message therefore stays on the one line, with the reason after it.
 * Everything else, including every letter of every script, passes unchanged. Thread-safe.
 */
final class Display {
  private Display() {}

  /** {@code text} with every control and invisible character escaped visibly; see the class comment. */
  static String safe(String text) {
    int i = 0;
    while (i < text.length() && !escaped(text, i)) {
      i += Character.charCount(text.codePointAt(i));
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
    while (i < text.length()) {
      int c = text.codePointAt(i);
      int n = Character.charCount(c);
      if (!escaped(text, i)) {
        sb.append(text, i, i + n);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c <= 0xFFFF && Character.isSurrogate(text.charAt(i))) {
        n = 1;
        hex(sb, 'u', text.charAt(i), 4);
      } else if (c > 0xFFFF) {
        hex(sb, 'U', c, 8);
      } else {
        hex(sb, 'u', c, 4);
      }
      i += n;
    }
    return sb.toString();
  }

  /** {@code String.valueOf(o)} made safe, for values that print through their {@code toString}. */
  static String safe(Object o) {
    return safe(String.valueOf(o));
  }

  private static boolean escaped(String s, int i) {
    int c = s.codePointAt(i);
    if (Character.isSurrogate(s.charAt(i)) && !Character.isSupplementaryCodePoint(c)) {
      return true;
    }
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
      return true;
    }
    if (c < 0xA0) {
      return false;
    }
    int type = Character.getType(c);
    return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
        || c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 || (c >= 0x180B && c <= 0x180F)
        || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFFA0 || (c >= 0xE0100 && c <= 0xE01EF);
  }

  private static void hex(StringBuilder sb, char kind, int value, int digits) {
    String h = Integer.toHexString(value);
    sb.append('\\').append(kind);
    for (int k = h.length(); k < digits; k++) {
      sb.append('0');
    }
    sb.append(h);
  }
}
