package soko.acquisition;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/** Where a redirect may lead: http(s) only, and never from https down to http unless the source itself was http. */
final class Redirects {
  private Redirects() {}

  /**
   * Resolves {@code location} against {@code current}, or says why it is refused.
   *
   * @param original the source URL from the manifest
   * @return the next URL, or a one-line reason it is refused
   */
  static Result next(URI original, URI current, String location) {
    URI next;
    try {
      next = current.resolve(location.strip());
    } catch (IllegalArgumentException e) {
      return new Result(Optional.empty(), "redirected to a malformed Location \"" + location + "\"");
    }
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return new Result(Optional.empty(), "redirected to " + next + ", which is not http or https");
    }
    if (next.getHost() == null || next.getHost().isEmpty()) {
      return new Result(Optional.empty(), "redirected to " + next + ", which has no host");
    }
    boolean secureStart = "https".equalsIgnoreCase(original.getScheme());
    if (secureStart && scheme.equals("http")) {
      return new Result(Optional.empty(), "redirected from https to plain http (" + next + ")");
    }
    if (next.getRawUserInfo() != null) {
      return new Result(Optional.empty(), "redirected to a URL with credentials in it");
    }
    return new Result(Optional.of(next), "");
  }

  record Result(Optional<URI> next, String refusal) {}
}
