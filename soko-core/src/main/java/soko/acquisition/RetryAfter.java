package soko.acquisition;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The {@code Retry-After} header of a 429 or 503 (RFC 9110, 10.2.3), read as a wait. */
final class RetryAfter {
  /**
   * The longest Retry-After Soko waits for before asking the same source again; a server that
   * asks for longer is left for now (the next source is tried, or the error says when to retry).
   */
  static final Duration MAX_WAIT = Duration.ofSeconds(60);

  /** More seconds than this are "a very long time", capped rather than overflowing (31 years). */
  private static final long MAX_SECONDS = 999_999_999L;

  // After the day name, which is redundant (and which a two-digit year could contradict).
  private static final DateTimeFormatter RFC_850 =
      DateTimeFormatter.ofPattern("dd-MMM-yy HH:mm:ss 'GMT'", Locale.ENGLISH);
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy", Locale.ENGLISH);

  private RetryAfter() {}

  /**
   * delay-seconds or an HTTP-date in any of its three forms (RFC 9110, 5.6.7), as a wait from
   * {@code now} (zero for a date in the past); empty when absent or malformed. Leading zeros are
   * digits like any other ({@code 0000000120} is 120 s); seconds too many to count are capped at
   * 31 years: still "later".
   */
  static Optional<Duration> parse(@Nullable String header, Instant now) {
    if (header == null) {
      return Optional.empty();
    }
    String v = header.strip();
    if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      String digits = v.replaceFirst("^0+(?=.)", "");
      return Optional.of(Duration.ofSeconds(digits.length() > 9 ? MAX_SECONDS : Long.parseLong(digits)));
    }
    return httpDate(v, now).map(t -> {
      Duration d = Duration.between(now, t);
      return d.isNegative() ? Duration.ZERO : d;
    });
  }

  /** IMF-fixdate, or the obsolete RFC 850 and asctime forms a recipient must also accept. */
  static Optional<Instant> httpDate(String v, Instant now) {
    try {
      return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      // try the obsolete forms
    }
    int comma = v.indexOf(", ");
    if (comma >= 0) {
      try {
        LocalDateTime t = LocalDateTime.parse(v.substring(comma + 2), RFC_850);
        // A two-digit year more than 50 years ahead means the most recent past year ending so.
        if (t.toInstant(ZoneOffset.UTC).isAfter(now.plus(Duration.ofDays(50L * 365)))) {
          t = t.minusYears(100);
        }
        return Optional.of(t.toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException e) {
        // try asctime
      }
    }
    try {
      if (v.length() < 4 || v.charAt(3) != ' ') {
        return Optional.empty();
      }
      return Optional.of(LocalDateTime.parse(v.substring(4), ASCTIME).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
