package soko.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/** Human-readable rendering: sizes, times, tables. */
final class Format {
  private static final ZoneId ZONE = ZoneId.systemDefault();

  private Format() {}

  static String bytes(long n) {
    return soko.app.Bytes.human(n);
  }

  /**
   * {@code yyyy-MM-dd HH:mm:ss} in the local time zone, written by hand for years 1 to 9999: a
   * {@code DateTimeFormatter} pattern costs a fresh process several milliseconds to build and use.
   */
  static String time(Instant t) {
    java.time.LocalDateTime l = java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZONE.getRules().getOffset(t));
    if (l.getYear() < 1 || l.getYear() > 9999) { // yyyy is the year of the era
      return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZONE).format(t);
    }
    char[] c = "0000-00-00 00:00:00".toCharArray();
    put(c, 0, l.getYear(), 4);
    put(c, 5, l.getMonthValue(), 2);
    put(c, 8, l.getDayOfMonth(), 2);
    put(c, 11, l.getHour(), 2);
    put(c, 14, l.getMinute(), 2);
    put(c, 17, l.getSecond(), 2);
    return new String(c);
  }

  private static void put(char[] c, int at, int v, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + v % 10);
      v /= 10;
    }
  }

  /** A time left: {@code 12s}, {@code 3m 10s}, {@code 1h 02m} (rounded up to the second). */
  static String eta(java.time.Duration d) {
    long s = Math.max(0, d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0));
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m " + (s % 60 < 10 ? "0" : "") + s % 60 + "s";
    }
    long m = s / 60;
    return m / 60 + "h " + (m % 60 < 10 ? "0" : "") + m % 60 + "m";
  }

  /**
   * Renders rows as left-aligned columns separated by two spaces. Every cell goes through {@link
   * Display#safe}: cells hold names, licences, hosts and paths from manifests and catalogs.
   */
  static String table(List<String> header, List<List<String>> rows) {
    rows = rows.stream().map(r -> r.stream().map(Display::safe).toList()).toList();
    int[] w = new int[header.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = width(header.get(i));
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], width(r.get(i)));
      }
    }
    StringBuilder sb = new StringBuilder();
    append(sb, header, w);
    for (List<String> r : rows) {
      append(sb, r, w);
    }
    return sb.toString();
  }

  /**
   * {@link #table(List, List)} when it fits {@code width} columns (or no width is known: a pipe);
   * otherwise one record per row, so that a narrow terminal does not wrap every line: the first
   * cell as a heading, then one indented {@code header: value} line per other cell that says
   * something, long values wrapped at spaces.
   */
  static String table(List<String> header, List<List<String>> rows, OptionalInt width) {
    String wide = table(header, rows);
    if (width.isEmpty() || wide.lines().allMatch(l -> width(l) <= width.getAsInt())) {
      return wide;
    }
    int room = Math.max(20, width.getAsInt());
    StringBuilder sb = new StringBuilder();
    for (List<String> row : rows) {
      sb.append(Display.safe(row.get(0))).append('\n');
      for (int i = 1; i < row.size(); i++) {
        String value = Display.safe(row.get(i));
        if (value.isBlank() || value.equals("-")) {
          continue;
        }
        String label = header.get(i).isBlank() ? "" : header.get(i).toLowerCase(Locale.ROOT) + ": ";
        wrap(sb, "  ", label + value, room);
      }
    }
    return sb.toString();
  }

  /**
   * {@code first + text} as one line, or wrapped to {@code width} like a record's value when a width
   * is known.
   */
  static String wrapped(String first, String text, OptionalInt width) {
    if (width.isEmpty()) {
      return first + text + "\n";
    }
    StringBuilder sb = new StringBuilder();
    wrap(sb, first, text, Math.max(20, width.getAsInt()));
    return sb.toString();
  }

  /**
   * Appends {@code first + value}, wrapped to {@code room} columns at spaces and after commas (lists
   * such as {@code ja-asr,ko-asr}), continuation lines indented by four.
   */
  private static void wrap(StringBuilder sb, String first, String value, int room) {
    StringBuilder line = new StringBuilder(first);
    int used = width(first);
    boolean empty = true;
    int i = 0;
    while (i < value.length()) {
      boolean space = value.charAt(i) == ' ';
      while (i < value.length() && value.charAt(i) == ' ') {
        i++;
      }
      int end = i;
      while (end < value.length() && value.charAt(end) != ' ' && value.charAt(end) != ',') {
        end++;
      }
      if (end < value.length() && value.charAt(end) == ',') {
        end++;
      }
      if (end == i) {
        break;
      }
      String word = value.substring(i, end);
      i = end;
      if (width(word) > room - 4) { // longer than any line: cut it where it reaches the edge (text without spaces)
        int cut = 0;
        int cols = used + (space && !empty ? 1 : 0);
        while (cut < word.length() && cols + width(word.substring(cut, word.offsetByCodePoints(cut, 1))) <= room) {
          cols += width(word.substring(cut, word.offsetByCodePoints(cut, 1)));
          cut = word.offsetByCodePoints(cut, 1);
        }
        if (cut == 0 && !empty) { // not one character fits after what the line holds: go on on the next line
          sb.append(line).append('\n');
          line = new StringBuilder("    ");
          used = 4;
          empty = true;
          i -= word.length();
          continue;
        }
        if (cut > 0 && cut < word.length()) {
          line.append(space && !empty ? " " : "").append(word, 0, cut);
          sb.append(line).append('\n');
          line = new StringBuilder("    ");
          used = 4;
          empty = true;
          space = false;
          word = word.substring(cut);
          i -= word.length();
          continue;
        }
      }
      int w = width(word) + (space && !empty ? 1 : 0);
      if (!empty && used + w > room) {
        sb.append(line).append('\n');
        line = new StringBuilder("    ");
        used = 4;
        empty = true;
        w = width(word);
      }
      if (space && !empty) {
        line.append(' ');
      }
      line.append(word);
      used += w;
      empty = false;
    }
    sb.append(line).append('\n');
  }

  private static void append(StringBuilder sb, List<String> cells, int[] w) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      line.append(cells.get(i));
      if (i < cells.size() - 1) {
        line.append(" ".repeat(w[i] - width(cells.get(i)) + 2));
      }
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }

  /** Display width: East Asian wide characters take two columns. */
  static int width(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      n += (cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3)
          || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6))) ? 2 : 1;
      i += Character.charCount(cp);
    }
    return n;
  }
}
