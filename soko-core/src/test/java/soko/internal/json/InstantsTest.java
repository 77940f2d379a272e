package soko.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written reader of canonical instants against {@link Instant#parse} as the oracle. */
class InstantsTest {
  @Test
  void readsWhatInstantToStringWritesExactlyAsTheJdkDoes() {
    Random random = new Random(11);
    long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 100_000; i++) {
      long seconds = min + (long) (random.nextDouble() * (max - min));
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      String text = Instant.ofEpochSecond(seconds, nanos).toString();
      assertThat(Instants.parseCanonical(text)).as(text).isEqualTo(Instant.parse(text));
      assertThat(Instants.format(Instant.ofEpochSecond(seconds, nanos))).isEqualTo(text);
    }
  }

  @Test
  void writesYearsOutsideFourDigitsAsTheJdkDoes() {
    for (String s : List.of("+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59.999Z", "+1000000000-12-31T23:59:59.999999999Z")) {
      assertThat(Instants.format(Instant.parse(s))).isEqualTo(Instant.parse(s).toString());
    }
    assertThat(Instants.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00Z");
  }

  @Test
  void anythingElseIsLeftToTheJdkOrRefused() {
    for (String s : List.of("2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z",
        "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01T00:00:00", "2026-01-01 00:00:00Z",
        "2026-1-01T00:00:00Z", "+10000-01-01T00:00:00Z", "2026-01-01T00:00:00+01:00", "2026-01-01T00:00:0aZ",
        "２０２６-01-01T00:00:00Z", "")) {
      Instant mine = Instants.parseCanonical(s);
      Instant jdk;
      try {
        jdk = Instant.parse(s);
      } catch (DateTimeParseException e) {
        jdk = null;
      }
      assertThat(mine == null || mine.equals(jdk)).as(s).isTrue();
      if (jdk == null) {
        assertThat(mine).as(s).isNull();
      }
    }
    assertThat(Instants.parseCanonical("2024-02-29T23:59:59.5Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.5Z"));
  }
}
