package soko.app;

import java.util.Locale;

/** Byte counts for people: 1023 B, 1.5 KiB, 141 MiB. */
public final class Bytes {
  private Bytes() {}

  public static String human(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
  }
}
