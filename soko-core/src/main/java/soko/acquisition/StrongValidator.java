package soko.acquisition;

import java.time.Instant;
import java.util.Optional;

/**
 * The rule of RFC 9110 8.8.2.2 for when a response's validator is strong enough for a client to
 * send it back in {@code If-Range} and append ranges: an ETag without {@code W/}, or a
 * Last-Modified at least 60 s older than the response's Date. Ranges of a file whose validator is
 * weak could come from two versions of it, so such a server gets one connection.
 */
final class StrongValidator {
  private StrongValidator() {}

  /**
   * RFC 9110 8.8: a strong ETag, or a Last-Modified at least 60 s before the response's Date (a
   * client may then use it in If-Range).
   */
  static boolean present(HttpResponse ex, Instant now) {
    if (etag(ex).isPresent()) {
      return true;
    }
    if (ex.header("ETag").isPresent()) {
      return false; // a weak ETag: the date must not be used either (RFC 9110 13.1.5)
    }
    Optional<Instant> modified = ex.header("Last-Modified").flatMap(v -> RetryAfter.httpDate(v.strip(), now));
    Optional<Instant> date = ex.header("Date").flatMap(v -> RetryAfter.httpDate(v.strip(), now));
    return modified.isPresent() && date.isPresent()
        && !modified.get().plusSeconds(60).isAfter(date.get());
  }

  /** The response's ETag when it is strong (not {@code W/} and not blank). */
  static Optional<String> etag(HttpResponse ex) {
    return ex.header("ETag").filter(e -> !e.startsWith("W/") && !e.isBlank());
  }
}
