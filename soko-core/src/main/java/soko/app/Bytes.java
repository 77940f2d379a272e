package soko.app;

/** Byte counts for people: 1023 B, 1.5 KiB, 141 MiB. */
public final class Bytes {
  private Bytes() {}

  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

  /**
   * One decimal below 100 of a unit, none from 100, rounded half up: what {@code String.format("%.1f")}
   * printed before, computed in integers (dividing by a power of two is exact, so the results are
   * the same) because a Formatter costs a fresh process several milliseconds.
   *
   * @param n a byte count, 0 or more
   * @return such as {@code 1023 B}, {@code 1.5 KiB} or {@code 141 MiB}
   */
  public static String human(long n) {
    if (n < 1024) {
      return Long.toString(n).concat(" B");
    }
    int u = 0;
    long d = 1024;
    while (u < UNITS.length - 1 && n / d >= 1024) {
      d *= 1024;
      u++;
    }
    String unit = UNITS[u];
    if (n / d >= 100) {
      long whole = n / d + ((n % d) * 2 >= d ? 1 : 0);
      return Long.toString(whole).concat(" ").concat(unit);
    }
    // Tenths, half up: (10n + d/2) / d, without overflow for any long.
    long tenths = (n / d) * 10 + ((n % d) * 10 + d / 2) / d;
    return Long.toString(tenths / 10).concat(".").concat(Long.toString(tenths % 10)).concat(" ").concat(unit);
  }
}
