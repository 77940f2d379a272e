package soko.acquisition;

import java.net.ProxySelector;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How the {@link Connector} opens every connection Soko makes (downloads, registries, token
 * services, catalogs): one object, resolved once by {@code soko.app} and passed down. Immutable and
 * thread-safe (the proxy selector and TLS context must be thread-safe too, as the JDK's are).
 *
 * @param connectTimeout longest wait for a TCP (and TLS) connection (default 10 s)
 * @param responseTimeout deadline for the whole response head (status line and headers) after
 *     the request is sent, however slowly it trickles in (default 30 s)
 * @param userAgent the {@code User-Agent} of every request, {@code soko/VERSION} by default
 * @param proxy chooses a proxy per URL; empty for direct connections
 * @param tls the trust (and client keys) for https; empty for the JDK's default
 */
public record HttpSettings(Duration connectTimeout, Duration responseTimeout, String userAgent,
    Optional<ProxySelector> proxy, Optional<SSLContext> tls) {

  /** The default {@code connectTimeout}: 10 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** The default {@code responseTimeout}: 30 s. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
  /** {@code soko/} and this build's version ({@code soko/dev} when run from classes, not from the jar). */
  public static final String DEFAULT_USER_AGENT = "soko/" + soko.JarVersion.of(HttpSettings.class).orElse("dev");

  /** The defaults: direct connections and the JDK's trust. */
  public static final HttpSettings DEFAULTS = new HttpSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT,
      DEFAULT_USER_AGENT, Optional.empty(), Optional.empty());

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if a timeout is not positive, or the user agent is blank or
   *     not printable ASCII
   */
  public HttpSettings {
    positive("connectTimeout", connectTimeout);
    positive("responseTimeout", responseTimeout);
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(tls, "tls");
    if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
      throw new IllegalArgumentException("userAgent must be printable ASCII");
    }
  }

  /**
   * A copy with other timeouts.
   *
   * @param connect the connect timeout, positive
   * @param response the deadline for a response head, positive
   * @return the copy
   * @throws IllegalArgumentException if a timeout is not positive
   */
  public HttpSettings withTimeouts(Duration connect, Duration response) {
    return new HttpSettings(connect, response, userAgent, proxy, tls);
  }

  /**
   * A copy with another {@code User-Agent}.
   *
   * @param agent printable ASCII, not blank
   * @return the copy
   * @throws IllegalArgumentException if {@code agent} is blank or not printable ASCII
   */
  public HttpSettings withUserAgent(String agent) {
    return new HttpSettings(connectTimeout, responseTimeout, agent, proxy, tls);
  }

  /**
   * A copy that connects through proxies.
   *
   * @param selector chooses a proxy per URL (such as a {@link ProxyRules})
   * @return the copy
   */
  public HttpSettings withProxy(ProxySelector selector) {
    return new HttpSettings(connectTimeout, responseTimeout, userAgent, Optional.of(selector), tls);
  }

  /**
   * A copy with its own TLS trust.
   *
   * @param context the trust (and client keys) for https
   * @return the copy
   */
  public HttpSettings withTls(SSLContext context) {
    return new HttpSettings(connectTimeout, responseTimeout, userAgent, proxy, Optional.of(context));
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " <= 0");
    }
  }
}
