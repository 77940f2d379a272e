package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written local time against the DateTimeFormatter pattern it replaced. */
class FormatTest {
  @Test
  void localTimesAreWhatTheFormatterWrote() {
    DateTimeFormatter oracle = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    Random random = new Random(3);
    long min = Instant.parse("0001-01-02T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-30T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 100_000; i++) {
      Instant t = Instant.ofEpochSecond(min + (long) (random.nextDouble() * (max - min)), random.nextInt(1_000_000_000));
      assertThat(Format.time(t)).isEqualTo(oracle.format(t));
    }
    for (String edge : new String[] {"+12000-01-01T00:00:00Z", "0000-06-01T00:00:00Z", "-0001-06-01T00:00:00Z"}) {
      Instant t = Instant.parse(edge);
      assertThat(Format.time(t)).as(edge).isEqualTo(oracle.format(t)); // year of era: 0000 prints as 0001
    }
  }
}
