package soko.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Bytes#human} against the String.format rendering it replaced. */
class BytesTest {
  private static String formatted(long n) {
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

  @Test
  void agreesWithStringFormatEverywhereItWasChecked() {
    Random random = new Random(5);
    for (int i = 0; i < 200_000; i++) {
      long n = switch (i % 3) {
        case 0 -> random.nextLong(1L << 20);
        case 1 -> random.nextLong(1L << 45);
        default -> random.nextLong(1L << 53);
      };
      assertThat(Bytes.human(n)).as("%d", n).isEqualTo(formatted(n));
    }
    for (int k = 1; k <= 4; k++) {
      long d = 1L << (10 * k);
      for (long n : new long[] {d - 1, d, d + 1, 100 * d - 1, 100 * d, 100 * d - d / 20, 100 * d - d / 20 - 1,
          d + d / 20, d + d / 20 - 1, 1024 * d - 1, 1024 * d - d / 2, 1024 * d - d / 2 - 1}) {
        assertThat(Bytes.human(n)).as("%d", n).isEqualTo(formatted(n));
      }
    }
    assertThat(Bytes.human(0)).isEqualTo("0 B");
    assertThat(Bytes.human(1536)).isEqualTo("1.5 KiB");
    assertThat(Bytes.human(148_897_792)).isEqualTo("142 MiB");
  }
}
