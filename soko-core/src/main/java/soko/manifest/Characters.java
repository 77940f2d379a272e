package soko.manifest;

import java.util.Locale;

/**
 * Characters that must not appear in names a person reads, such as file paths: invisible
 * characters that can make one name display as another. The CLI's output sanitizer escapes the
 * same set (and control characters) when it prints text from outside.
 */
final class Characters {
  private Characters() {}

  /**
   * Whether {@code c} is invisible: a format character (Unicode category Cf: the bidi embeddings,
   * overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E, U+200F and U+061C,
   * zero-width spaces and joiners, the byte order mark, tags), a line or paragraph separator, or
   * another default-ignorable code point (fillers and variation selectors).
   */
  static boolean invisible(int c) {
    int type = Character.getType(c);
    return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
        || c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 || (c >= 0x180B && c <= 0x180F)
        || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFFA0 || (c >= 0xE0100 && c <= 0xE01EF);
  }

  /** Whether the char at {@code i} is half of a surrogate pair without its other half. */
  static boolean loneSurrogate(String s, int i) {
    char ch = s.charAt(i);
    return Character.isSurrogate(ch) && !Character.isSupplementaryCodePoint(s.codePointAt(i));
  }

  /** {@code U+202E} style. */
  static String codePoint(int c) {
    return String.format(Locale.ROOT, "U+%04X", c);
  }
}
