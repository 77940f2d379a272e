package soko.acquisition;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Which HTTP proxy, if any, carries a request, from the values of the conventional variables
 * {@code http_proxy}, {@code https_proxy}, {@code all_proxy} and {@code no_proxy} (read by {@code
 * soko.app}; this class reads no environment). The rules are curl's (see {@code curl(1)},
 * "ENVIRONMENT", and {@code CURLOPT_NOPROXY(3)}):
 *
 * <ul>
 *   <li>an {@code http://} URL uses the http proxy, an {@code https://} URL the https proxy, each
 *       falling back to the all proxy;
 *   <li>a proxy is {@code [http://][USER[:PASSWORD]@]HOST[:PORT]}; without a port it is 1080, as in
 *       curl; {@code https://} and {@code socks*://} proxies are refused with a message;
 *   <li>{@code no_proxy} is a comma-separated list: {@code *} bypasses every host; a name matches
 *       that host and every host under it ({@code example.com} and {@code .example.com} both
 *       match {@code example.com} and {@code a.example.com}, never {@code notexample.com}); an IP
 *       address matches itself, an address with {@code /bits} (CIDR) a network; IPv6 addresses
 *       are written without brackets. Beyond curl, {@code HOST:PORT} matches that port only;
 *   <li>like curl, loopback hosts are proxied unless {@code no_proxy} names them.
 * </ul>
 *
 * <p>Credentials in a proxy URL go to that proxy only, as {@code Proxy-Authorization: Basic} (see
 * {@link Route}), and {@link #toString()} never shows them. Immutable and thread-safe.
 */
public final class ProxyRules extends ProxySelector {
  /** curl's default proxy port. */
  public static final int DEFAULT_PORT = 1080;
  private static final Pattern CIDR = Pattern.compile("([0-9A-Fa-f:.]+)/([0-9]{1,3})");

  private final Optional<Route> http;
  private final Optional<Route> https;
  private final List<Bypass> noProxy;

  private ProxyRules(Optional<Route> http, Optional<Route> https, List<Bypass> noProxy) {
    this.http = http;
    this.https = https;
    this.noProxy = List.copyOf(noProxy);
  }

  /**
   * Rules from the variables' values (empty when unset or blank).
   *
   * @param httpProxy the value of {@code http_proxy}: the proxy for http URLs
   * @param httpsProxy the value of {@code https_proxy}: the proxy for https URLs
   * @param allProxy the value of {@code all_proxy}: the proxy for either, when the specific one is
   *     unset
   * @param noProxy the value of {@code no_proxy}: hosts, addresses and networks reached directly
   * @param what names the variables for messages, such as {@code "https_proxy"}, in the order
   *     http, https, all, no_proxy
   * @return the rules
   * @throws IllegalArgumentException when a proxy value is not a usable HTTP proxy URL; the message
   *     names the variable and never shows a password
   */
  public static ProxyRules of(Optional<String> httpProxy, Optional<String> httpsProxy, Optional<String> allProxy,
      Optional<String> noProxy, List<String> what) {
    if (what.size() != 4) {
      throw new IllegalArgumentException("what must name 4 variables");
    }
    Optional<Route> all = allProxy.filter(s -> !s.isBlank()).map(s -> route(s, what.get(2)));
    Optional<Route> http = httpProxy.filter(s -> !s.isBlank()).map(s -> route(s, what.get(0))).or(() -> all);
    Optional<Route> https = httpsProxy.filter(s -> !s.isBlank()).map(s -> route(s, what.get(1))).or(() -> all);
    List<Bypass> bypass = new ArrayList<>();
    for (String entry : noProxy.orElse("").split(",")) {
      String e = entry.strip();
      if (!e.isEmpty()) {
        bypass.add(bypass(e));
      }
    }
    return new ProxyRules(http, https, bypass);
  }

  /** No proxy for any URL. */
  public static final ProxyRules DIRECT = new ProxyRules(Optional.empty(), Optional.empty(), List.of());

  /**
   * Whether any URL goes through a proxy.
   *
   * @return true when an http or https proxy is set
   */
  public boolean any() {
    return http.isPresent() || https.isPresent();
  }

  /**
   * The proxy for {@code uri}: one {@link Route}, or {@link Proxy#NO_PROXY}.
   */
  @Override
  public List<Proxy> select(URI uri) {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    Optional<Route> route = switch (scheme) {
      case "http" -> http;
      case "https" -> https;
      default -> Optional.empty();
    };
    if (route.isEmpty() || uri.getHost() == null || bypassed(uri)) {
      return List.of(Proxy.NO_PROXY);
    }
    return List.of(route.get());
  }

  @Override
  public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
    // one proxy per scheme: nothing to fall back to
  }

  private boolean bypassed(URI uri) {
    String host = bare(uri.getHost()).toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    Optional<byte[]> address = literal(host);
    for (Bypass b : noProxy) {
      if (b.matches(host, address, port)) {
        return true;
      }
    }
    return false;
  }

  /** The proxies, without credentials: for diagnostics. */
  @Override
  public String toString() {
    return "http: " + http.map(Route::toString).orElse("direct") + ", https: "
        + https.map(Route::toString).orElse("direct") + ", no_proxy: "
        + (noProxy.isEmpty() ? "(none)" : String.join(",", noProxy.stream().map(Bypass::text).toList()));
  }

  // ---------------------------------------------------------------- parsing

  private static Route route(String value, String variable) {
    String v = value.strip();
    String lower = v.toLowerCase(Locale.ROOT);
    if (!lower.contains("://")) {
      v = "http://" + v;
    } else if (!lower.startsWith("http://")) {
      String scheme = lower.substring(0, lower.indexOf("://"));
      throw new IllegalArgumentException(variable + " names a " + scheme + ":// proxy; Soko talks to HTTP proxies"
          + " only: give one as http://HOST:PORT");
    }
    URI u;
    try {
      u = new URI(v);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(variable + " is not a proxy URL such as http://proxy.example:3128"
          + " (" + redact(e.getReason()) + ")");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw new IllegalArgumentException(variable + " has no host name; give the proxy as http://HOST:PORT");
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    if (!path.isEmpty() && !path.equals("/") || u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new IllegalArgumentException(variable + " has a path, query or fragment; give the proxy as"
          + " http://HOST:PORT");
    }
    int port = u.getPort() > 0 ? u.getPort() : DEFAULT_PORT;
    Optional<String> authorization = Optional.empty();
    String userInfo = u.getRawUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
      if ((user + password).chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new IllegalArgumentException(variable + " has control characters in its user name or password");
      }
      authorization = Optional.of("Basic " + Base64.getEncoder().encodeToString(
          (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return new Route(bare(u.getHost()), port, authorization);
  }

  /** Percent-decoding of URL user info, where '+' is itself (URLDecoder would make it a space). */
  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String redact(String s) {
    return s == null ? "" : s.replaceAll("//[^@/]*@", "//…@");
  }

  private static Bypass bypass(String entry) {
    if (entry.equals("*")) {
      return new Bypass(entry, h -> true, OptionalInt.empty());
    }
    var cidr = CIDR.matcher(entry);
    if (cidr.matches()) {
      Optional<byte[]> net = literal(cidr.group(1));
      int bits = Integer.parseInt(cidr.group(2));
      if (net.isPresent() && bits <= net.get().length * 8) {
        byte[] n = net.get();
        return new Bypass(entry, h -> h.address().filter(a -> a.length == n.length && prefix(a, n, bits)).isPresent(),
            OptionalInt.empty());
      }
    }
    String host = entry.toLowerCase(Locale.ROOT);
    OptionalInt port = OptionalInt.empty();
    // host:port, [v6]:port; a bare IPv6 address (several colons, no brackets) has no port
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close > 0) {
        String rest = host.substring(close + 1);
        port = rest.startsWith(":") ? parsePort(rest.substring(1)) : OptionalInt.empty();
        host = host.substring(1, close);
      }
    } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      port = parsePort(host.substring(host.indexOf(':') + 1));
      host = host.substring(0, host.indexOf(':'));
    }
    while (host.startsWith(".")) {
      host = host.substring(1);
    }
    if (host.startsWith("*.")) {
      host = host.substring(2);
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    String name = host;
    Optional<byte[]> address = literal(name);
    if (address.isPresent()) {
      byte[] a = address.get();
      return new Bypass(entry, h -> h.address().filter(b -> java.util.Arrays.equals(a, b)).isPresent(), port);
    }
    return new Bypass(entry, h -> h.address().isEmpty() && (h.name().equals(name) || h.name().endsWith("." + name)),
        port);
  }

  private static OptionalInt parsePort(String s) {
    try {
      int p = Integer.parseInt(s);
      return p > 0 && p < 65536 ? OptionalInt.of(p) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static boolean prefix(byte[] a, byte[] net, int bits) {
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((a[i / 8] & mask) != (net[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** The bytes of an IP literal, without a DNS lookup; empty for a host name. */
  private static Optional<byte[]> literal(String host) {
    String h = bare(host);
    boolean v4 = h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    boolean v6 = h.indexOf(':') >= 0 && h.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(h).getAddress()); // a literal: no lookup
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private record Host(String name, Optional<byte[]> address) {}

  private record Bypass(String text, java.util.function.Predicate<Host> test, OptionalInt port) {
    boolean matches(String name, Optional<byte[]> address, int requestPort) {
      return (port.isEmpty() || port.getAsInt() == requestPort) && test.test(new Host(name, address));
    }
  }

  /**
   * An HTTP proxy with the value of the {@code Proxy-Authorization} header it gets, if its URL
   * had credentials. The {@link Connector} sends that header to this proxy only (on {@code
   * CONNECT} for https, on the absolute-form request for http, which the proxy consumes).
   */
  public static final class Route extends Proxy {
    private final String host;
    private final int port;
    private final Optional<String> authorization;

    Route(String host, int port, Optional<String> authorization) {
      super(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
      this.host = host;
      this.port = port;
      this.authorization = authorization;
    }

    /**
     * The credentials for this proxy.
     *
     * @return the {@code Proxy-Authorization} value, {@code Basic …}, or empty when the proxy URL
     *     had no credentials
     */
    public Optional<String> authorization() {
      return authorization;
    }

    /** {@code http://HOST:PORT}, and {@code (with credentials)} when it has some; never the credentials. */
    @Override
    public String toString() {
      return "http://" + Connector.authority(host, port) + (authorization.isPresent() ? " (with credentials)" : "");
    }
  }
}
