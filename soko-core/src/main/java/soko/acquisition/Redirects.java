package soko.acquisition;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The one redirect policy, for downloads, registries and catalogs alike. Redirects are followed by
 * hand, one request at a time through the {@link Connector}:
 *
 * <ul>
 *   <li>at most {@value #MAX_REDIRECTS} of them for one request;
 *   <li>only to http and https URLs with a host and without credentials in them, and never from
 *       https down to plain http;
 *   <li>{@code Authorization} goes only to the origin (scheme, host and port) it belongs to: once a
 *       hop leaves that origin, it is dropped for the rest of the chain (a registry's storage host
 *       never sees the registry's credentials);
 *   <li>a 303 becomes a GET without a body; 301, 302, 307 and 308 keep the method and body;
 *   <li>nothing is remembered: every request starts again at its own URL, so an expired
 *       pre-signed storage URL is never reused.
 * </ul>
 *
 * <p>Thread-safe: no state.
 */
public final class Redirects {
  /** The most redirects followed for one request. */
  public static final int MAX_REDIRECTS = 10;

  private Redirects() {}

  /** How a chain of redirects ended. */
  public sealed interface Outcome {
    /**
     * The first answer that is not a redirect; the caller closes it.
     *
     * @param response the answer, open
     */
    record Answered(HttpResponse response) implements Outcome {}

    /**
     * The policy refused to follow; nothing is left open. Immutable.
     *
     * @param refusal why
     * @param status the status of the redirect that was not followed
     * @param problem one line for the user, naming the target where there is one
     */
    record Refused(Refusal refusal, int status, String problem) implements Outcome {}
  }

  /** Why a redirect was not followed. */
  public enum Refusal {
    /** A redirect status without a {@code Location}. */
    NO_LOCATION,
    /** More than {@value #MAX_REDIRECTS} redirects, or a loop. */
    TOO_MANY,
    /** To another scheme than http(s), from https to http, to credentials in a URL, or to a malformed URL. */
    UNSAFE
  }

  /**
   * Whether a status redirects.
   *
   * @param status an HTTP status
   * @return true for 301, 302, 303, 307 and 308
   */
  public static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /**
   * Sends {@code request} and follows its redirects under the policy.
   *
   * @param credentialsBelongTo the origin the request's {@code Authorization} is for; a hop to any
   *     other origin, and every hop after it, is sent without it; empty to send it nowhere
   * @param connector sends each hop
   * @param request the first request
   * @return the first answer that is not a redirect, or the refusal
   * @throws IOException if a hop cannot be sent or its head cannot be read
   */
  public static Outcome follow(Connector connector, HttpRequest request, Optional<URI> credentialsBelongTo)
      throws IOException {
    HttpRequest current = request;
    boolean credentials = credentialsBelongTo.map(o -> sameOrigin(o, request.uri())).orElse(false);
    if (!credentials) {
      current = current.without("Authorization");
    }
    for (int hop = 0; ; hop++) {
      HttpResponse r = connector.send(current);
      if (!isRedirect(r.status())) {
        return new Outcome.Answered(r);
      }
      int status = r.status();
      Optional<String> location = r.header("Location");
      r.close();
      if (location.isEmpty()) {
        return new Outcome.Refused(Refusal.NO_LOCATION, status, "answered " + status + " without a Location");
      }
      if (hop + 1 > MAX_REDIRECTS) {
        return new Outcome.Refused(Refusal.TOO_MANY, status, "more than " + MAX_REDIRECTS + " redirects (last to "
            + HttpBodies.printable(location.get()) + ")");
      }
      Result next = next(request.uri(), current.uri(), location.get());
      if (next.next().isEmpty()) {
        return new Outcome.Refused(Refusal.UNSAFE, status, next.refusal());
      }
      URI to = next.next().get();
      credentials = credentials && credentialsBelongTo.map(o -> sameOrigin(o, to)).orElse(false);
      HttpRequest moved = status == 303 && !current.method().equals("HEAD")
          ? current.redirected("GET", to, HttpRequest.Body.NONE).without("Content-Type")
          : current.redirected(current.method(), to, current.body());
      current = credentials ? moved : moved.without("Authorization");
    }
  }

  /**
   * Resolves {@code location} against {@code current}, or says why it is refused.
   *
   * @param original the URL first requested
   * @return the next URL, or a one-line reason it is refused
   */
  static Result next(URI original, URI current, String location) {
    URI next;
    try {
      next = current.resolve(location.strip());
    } catch (IllegalArgumentException e) {
      return new Result(Optional.empty(), "redirected to a malformed Location \"" + HttpBodies.printable(location) + "\"");
    }
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return new Result(Optional.empty(), "redirected to " + next + ", which is not http or https");
    }
    if (next.getHost() == null || next.getHost().isEmpty()) {
      return new Result(Optional.empty(), "redirected to " + next + ", which has no host");
    }
    if (next.getPort() > 65_535) {
      return new Result(Optional.empty(), "redirected to " + next + ", whose port " + next.getPort()
          + " is out of range (1-65535)");
    }
    boolean secure = "https".equalsIgnoreCase(original.getScheme()) || "https".equalsIgnoreCase(current.getScheme());
    if (secure && scheme.equals("http")) {
      return new Result(Optional.empty(), "redirected from https to plain http (" + next + ")");
    }
    if (next.getRawUserInfo() != null) {
      return new Result(Optional.empty(), "redirected to a URL with credentials in it");
    }
    return new Result(Optional.of(next), "");
  }

  record Result(Optional<URI> next, String refusal) {}

  /**
   * Whether two URLs have the same origin.
   *
   * @param a a URL
   * @param b another URL
   * @return true for the same scheme and host (ignoring case) and port (the scheme's default port
   *     when none is given)
   */
  public static boolean sameOrigin(URI a, URI b) {
    return String.valueOf(a.getScheme()).equalsIgnoreCase(String.valueOf(b.getScheme()))
        && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }
}
