package soko.acquisition;

import java.util.Locale;

/** Byte counts for messages: "1.5 GiB (1610612736 bytes)". */
final class Sizes {
  private Sizes() {}

  static String describe(long bytes) {
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s (%d bytes)", v, units[u], bytes);
  }
}
