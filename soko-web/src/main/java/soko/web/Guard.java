package soko.web;

import com.sun.net.httpserver.HttpExchange;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The checks every request passes before anything runs.
 *
 * <ul>
 *   <li>{@code Host} must name the bound address and port (or, on loopback, {@code localhost},
 *       {@code 127.0.0.1} or {@code [::1]} with that port): a page on another site that re-points
 *       its DNS name at 127.0.0.1 is refused.
 *   <li>A present {@code Origin} must be this server's origin, and a present {@code
 *       Sec-Fetch-Site} must not be {@code cross-site} or {@code same-site}.
 *   <li>The page and the API need the per-run key ({@code ?key=} on the printed URL, then the
 *       header {@value #KEY_HEADER} from the page), so that only whoever has that URL can load
 *       the page or read the store (see {@link #checkKey}).
 *   <li>Every POST carries the per-run token (header {@value #TOKEN_HEADER}) that the page
 *       received inside the served HTML; compared in constant time.
 * </ul>
 */
final class Guard {
  static final String TOKEN_HEADER = "X-Soko-Token";
  private static final int TOKEN_BYTES = 32;

  private final String token;
  private final Set<String> hosts;
  private final Set<String> origins;

  /** The header the page sends its key in (the printed URL carries it as {@code ?key=}). */
  static final String KEY_HEADER = "X-Soko-Key";

  private Guard(String token, Set<String> hosts) {
    this.token = token;
    this.hosts = Set.copyOf(hosts);
    Set<String> o = new LinkedHashSet<>();
    hosts.forEach(h -> o.add("http://" + h));
    this.origins = Set.copyOf(o);
  }

  /** A guard with a fresh random token for a server bound to {@code bound}. */
  static Guard forAddress(InetSocketAddress bound, String requestedHost) {
    byte[] bytes = new byte[TOKEN_BYTES];
    new SecureRandom().nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    int port = bound.getPort();
    Set<String> hosts = new LinkedHashSet<>();
    InetAddress a = bound.getAddress();
    List<InetAddress> addresses = a.isAnyLocalAddress() ? localAddresses() : List.of(a);
    boolean loopback = a.isLoopbackAddress() || a.isAnyLocalAddress();
    for (InetAddress each : addresses) {
      hosts.add(hostPort(each, port));
    }
    if (loopback) {
      hosts.add("localhost:" + port);
      hosts.add("127.0.0.1:" + port);
      hosts.add("[::1]:" + port);
    }
    if (!requestedHost.isBlank()) {
      String h = requestedHost.toLowerCase(Locale.ROOT);
      hosts.add((h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port);
    }
    return new Guard(token, hosts);
  }

  private static List<InetAddress> localAddresses() {
    try {
      return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
          .flatMap(NetworkInterface::inetAddresses).toList();
    } catch (SocketException e) {
      return List.of(InetAddress.getLoopbackAddress());
    }
  }

  static String hostPort(InetAddress a, int port) {
    String literal = a.getHostAddress();
    if (a instanceof Inet6Address) {
      int zone = literal.indexOf('%');
      literal = "[" + (zone >= 0 ? literal.substring(0, zone) : literal) + "]";
    }
    return literal.toLowerCase(Locale.ROOT) + ":" + port;
  }

  /**
   * The page and the API need the key: {@code ?key=} on the URL {@code soko serve} printed, or the
   * header {@value #KEY_HEADER}, which the page's script sends (and {@code ?key=} for its event
   * stream, where a browser cannot add headers). Without it anyone who can reach the port could
   * load the page and read its token: beyond loopback anyone on the network, and on loopback every
   * other user of a shared computer. No cookie: browsers send a cookie for 127.0.0.1 to every port
   * there, so another local server the user visits would receive it.
   */
  void checkKey(HttpExchange ex) throws Refusal {
    String query = ex.getRequestURI().getRawQuery();
    if (query != null) {
      for (String part : query.split("&")) {
        if (part.startsWith("key=") && same(part.substring(4))) {
          return;
        }
      }
    }
    for (String header : ex.getRequestHeaders().getOrDefault(KEY_HEADER, List.of())) {
      if (same(header.strip())) {
        return;
      }
    }
    throw Refusal.forbidden("key", "this Soko page needs its key: open the URL `soko serve` printed (it ends with"
        + " ?key=…)");
  }

  private boolean same(String given) {
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  String token() {
    return token;
  }

  Set<String> hosts() {
    return hosts;
  }

  /** Request headers larger than this in all (request line, names and values) get 431. */
  static final int MAX_HEADER_BYTES = 64 * 1024;
  /** More request header fields than this get 431. */
  static final int MAX_HEADER_FIELDS = 100;

  /**
   * Refuses, with 431, a request whose headers are larger than {@value #MAX_HEADER_BYTES} bytes or
   * more than {@value #MAX_HEADER_FIELDS} fields. Applies to every request, first. (The JDK's server
   * itself resets the connection, without an answer, beyond its own limits, {@code
   * sun.net.httpserver.maxReqHeaderSize} and {@code sun.net.httpserver.maxReqHeaders}: 380 KiB and
   * 200 by default; {@code soko serve} raises them so that such requests get this answer too.)
   */
  void checkHeaderSize(HttpExchange ex) throws Refusal {
    long size = ex.getRequestMethod().length() + ex.getRequestURI().toString().length() + " HTTP/1.1\r\n".length();
    int fields = 0;
    for (Map.Entry<String, List<String>> e : ex.getRequestHeaders().entrySet()) {
      for (String v : e.getValue()) {
        size += e.getKey().length() + v.length() + 4;
        fields++;
      }
    }
    if (size > MAX_HEADER_BYTES || fields > MAX_HEADER_FIELDS) {
      throw new Refusal(431, "header-too-large", "the request's headers are " + size + " bytes in " + fields
          + " fields; at most " + MAX_HEADER_BYTES + " bytes in " + MAX_HEADER_FIELDS + " fields are accepted: send"
          + " fewer or smaller headers (cookies a browser keeps for this address count too)");
    }
  }

  /** Refuses a request whose Host is not this server. Applies to every request. */
  void checkHost(HttpExchange ex) throws Refusal {
    List<String> values = ex.getRequestHeaders().getOrDefault("Host", List.of());
    if (values.size() != 1 || !hosts.contains(values.getFirst().strip().toLowerCase(Locale.ROOT))) {
      throw Refusal.forbidden("host", "the Host header " + (values.isEmpty() ? "is missing" : "\"" + values.getFirst()
          + "\" does not name this server") + "; open the URL that `soko serve` printed");
    }
  }

  /** Refuses a request sent by a page of another origin. Applies to every request. */
  void checkOrigin(HttpExchange ex) throws Refusal {
    List<String> origin = ex.getRequestHeaders().getOrDefault("Origin", List.of());
    if (origin.size() > 1 || (origin.size() == 1 && !origins.contains(origin.getFirst().strip().toLowerCase(Locale.ROOT)))) {
      throw Refusal.forbidden("origin", "requests from " + String.join(", ", origin)
          + " are refused; only the page served by `soko serve` may use this API");
    }
    String site = ex.getRequestHeaders().getFirst("Sec-Fetch-Site");
    if (site != null && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
      throw Refusal.forbidden("origin", "a " + site + " request is refused; only the page served by `soko serve` may"
          + " use this API");
    }
  }

  /** Refuses an action without this run's token. */
  void checkToken(HttpExchange ex) throws Refusal {
    List<String> values = ex.getRequestHeaders().getOrDefault(TOKEN_HEADER, List.of());
    if (values.isEmpty()) {
      throw Refusal.forbidden("token", "the " + TOKEN_HEADER + " header is missing; actions are accepted only from"
          + " the page that `soko serve` printed");
    }
    byte[] given = values.getFirst().getBytes(StandardCharsets.UTF_8);
    if (values.size() != 1 || !MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8))) {
      throw Refusal.forbidden("token", "the " + TOKEN_HEADER + " header is wrong (each `soko serve` run has its own"
          + " token); reload the page");
    }
  }
}
