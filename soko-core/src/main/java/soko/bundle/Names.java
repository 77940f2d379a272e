package soko.bundle;

import java.util.HexFormat;

/** How names from a bundle are shown in messages: escaped, shortened, never able to break the line. */
final class Names {
  private Names() {}

  static String shown(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 120; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || Character.getType(c) == Character.FORMAT) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.length() >= 120 ? b + "…" : b.toString();
  }

  static String hex(byte[] bytes) {
    String h = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 40));
    return bytes.length > 40 ? h + "…" : h;
  }
}
