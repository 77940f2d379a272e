package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  static final Instant NOW = Instant.parse("2026-11-29T03:00:00Z");

  @Test
  void secondsAreAWait() {
    assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
  }

  @Test
  void leadingZerosAreDigitsLikeAnyOther() {
    // RFC 9110, 10.2.3: delay-seconds = 1*DIGIT; 0000000120 is 120 seconds, not "too many to count".
    assertThat(RetryAfter.parse("0000000120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("000", NOW)).contains(Duration.ZERO);
  }

  @Test
  void moreSecondsThanFitAreStillALongWait() {
    assertThat(RetryAfter.parse("99999999999999999999", NOW)).contains(Duration.ofSeconds(999_999_999));
  }

  @Test
  void anHttpDateInAnyOfItsThreeFormsIsAWaitFromNow() {
    assertThat(RetryAfter.parse("Sun, 29 Nov 2026 03:01:30 GMT", NOW)).contains(Duration.ofSeconds(90));
    assertThat(RetryAfter.parse("Sun, 29 Nov 2026 02:00:00 GMT", NOW)).contains(Duration.ZERO);
    // The two obsolete forms a recipient must also accept (RFC 9110, 5.6.7).
    assertThat(RetryAfter.parse("Sunday, 29-Nov-26 03:01:30 GMT", NOW)).contains(Duration.ofSeconds(90));
    assertThat(RetryAfter.parse("Sun Nov 29 03:01:30 2026", NOW)).contains(Duration.ofSeconds(90));
    assertThat(RetryAfter.parse("Sun Nov  1 03:00:00 2026", NOW)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).as("1994, not 2094").contains(Duration.ZERO);
  }

  @Test
  void anythingElseIsNoWait() {
    for (String bad : new String[] {null, "", "-1", "1.5", "tomorrow", "120 s", "Sun, 29 Nov 2026 03:01:30 CET"}) {
      assertThat(RetryAfter.parse(bad, NOW)).as(String.valueOf(bad)).isEmpty();
    }
  }
}
