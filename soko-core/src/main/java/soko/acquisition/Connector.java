package soko.acquisition;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The one place where Soko opens network connections: every download, registry call, token
 * request and catalog fetch is one {@link HttpRequest} sent here, with the one {@link
 * HttpSettings} (timeouts, {@code User-Agent}, proxy, TLS trust). HTTP/1.1 over a socket of its
 * own per request ({@code Connection: close}); redirects are not followed here (see {@link
 * Redirects}).
 *
 * <h2>Why an HTTP/1.1 client of our own</h2>
 *
 * Soko had three HTTP stacks. {@code java.net.HttpURLConnection} cannot send {@code PATCH}, which
 * chunked registry pushes need. {@code java.net.http.HttpClient} can, but a large download through
 * it costs about twice the CPU: 1 GiB from nginx on loopback (sendfile), written at its offset and
 * hashed on a second thread as the downloader does, fsynced, one fresh JVM per run, 5 rounds after
 * a warm-up, modes alternating, medians of the process CPU time (2026-12-07, the project's shared
 * 2-core VM at load average 13-22, which made wall times noise): HttpURLConnection 4.44 s, a bare
 * socket 4.54 s, this connector 4.78 s, HttpClient with {@code ofInputStream} 9.06 s and with a
 * body subscriber of its own 9.64 s. HttpClient reads the socket into 16 KiB buffers and passes
 * each through its flow machinery and another thread; its buffer size is a JVM-wide system property
 * ({@code jdk.httpclient.bufsize}) that a library may not set. Here a body read goes straight from
 * the socket into the downloader's 1 MiB buffer, and {@code PATCH} is one more method name.
 * Command: {@code bash bench/http-stack.sh} (figures in BENCHMARKS.md, "HTTP stack"). What Soko
 * needs of HTTP is small: one request per connection, {@code Content-Length}, chunked and
 * close-delimited bodies, TLS with host name checks, and proxies.
 *
 * <h2>Timeouts and cancellation</h2>
 *
 * The connect timeout bounds the TCP connect, the response timeout the whole response head from
 * the moment the request is written (a head that trickles in byte by byte still ends there), and
 * each read of the body waits at most the request's body idle timeout (else the response
 * timeout). Interrupting a virtual thread blocked in any of these closes its socket, so the call
 * ends at once; that is how downloads are cancelled and watched.
 *
 * <p>Thread-safe and stateless apart from its settings.
 */
public final class Connector {
  private static final int MAX_HEAD_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 200;
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] ([1-5][0-9][0-9])(?: (.*))?");

  private final HttpSettings settings;

  /**
   * A connector that sends every request with these settings.
   *
   * @param settings timeouts, {@code User-Agent}, proxy and TLS trust; not null
   * @throws NullPointerException when {@code settings} is null
   */
  public Connector(HttpSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * The settings every request is sent with.
   *
   * @return the settings given to the constructor
   */
  public HttpSettings settings() {
    return settings;
  }

  /**
   * Sends {@code request} to exactly its URL and reads the response head. The caller closes the
   * response.
   *
   * @param request the request; its URL must be {@code http} or {@code https} with a host
   * @return the response, its head read and its body not yet; the caller closes it
   * @throws IllegalArgumentException when the URL is not {@code http} or {@code https} with a host
   * @throws ProtocolException when the reply is not HTTP/1.x (its first bytes are in the message)
   * @throws IOException when the connection fails or a timeout passes
   */
  public HttpResponse send(HttpRequest request) throws IOException {
    URI uri = request.uri();
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException(uri + " is not an http or https URL with a host");
    }
    boolean tls = scheme.equals("https");
    String host = bareHost(uri.getHost());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    Proxy proxy = proxyFor(uri);
    Socket socket = new Socket();
    boolean ok = false;
    try {
      InetSocketAddress target = proxy.type() == Proxy.Type.HTTP ? (InetSocketAddress) proxy.address()
          : new InetSocketAddress(host, port);
      if (target.isUnresolved()) {
        target = new InetSocketAddress(target.getHostString(), target.getPort()); // resolve now, or fail here
      }
      connect(socket, target, proxy);
      socket.setTcpNoDelay(true);
      boolean absoluteForm = proxy.type() == Proxy.Type.HTTP && !tls;
      Optional<String> proxyAuthorization = proxy instanceof ProxyRules.Route r ? r.authorization() : Optional.empty();
      if (proxy.type() == Proxy.Type.HTTP && tls) {
        tunnel(socket, host, port, proxy, proxyAuthorization);
      }
      if (tls) {
        socket = handshake(socket, host, port);
      }
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      writeHead(out, request, absoluteForm ? proxyAuthorization : Optional.empty(), absoluteForm, host, port, tls);
      writeBody(out, request.body());
      out.flush();
      HttpResponse response = readResponse(socket, request);
      ok = true;
      return response;
    } finally {
      if (!ok) {
        socket.close();
      }
    }
  }

  private Proxy proxyFor(URI uri) throws IOException {
    if (settings.proxy().isEmpty()) {
      return Proxy.NO_PROXY;
    }
    List<Proxy> proxies = settings.proxy().get().select(uri);
    Proxy p = proxies == null || proxies.isEmpty() ? Proxy.NO_PROXY : proxies.getFirst();
    if (p.type() == Proxy.Type.SOCKS) {
      throw new IOException("the proxy for " + uri.getHost() + " is a SOCKS proxy, which Soko does not support; use an"
          + " HTTP proxy");
    }
    return p;
  }

  /** Connects to the origin or the proxy; a failure to reach a proxy says so (the same exception type). */
  private void connect(Socket socket, InetSocketAddress target, Proxy proxy) throws IOException {
    try {
      socket.connect(target, millis(settings.connectTimeout()));
    } catch (java.net.ConnectException e) {
      if (proxy.type() != Proxy.Type.HTTP) {
        throw e;
      }
      var failed = new java.net.ConnectException("the proxy " + proxy + " refused the connection (" + e.getMessage()
          + "); check the proxy variables (https_proxy, http_proxy, all_proxy, no_proxy)");
      failed.initCause(e);
      throw failed;
    }
  }

  /**
   * Opens a tunnel through an HTTP proxy to {@code host:port} for TLS (RFC 9110, 9.3.6). The proxy's
   * credentials go on the CONNECT request only: what follows is TLS to the origin.
   */
  private void tunnel(Socket socket, String host, int port, Proxy proxy, Optional<String> authorization)
      throws IOException {
    OutputStream out = socket.getOutputStream();
    String authority = authority(host, port);
    out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\nUser-Agent: " + settings.userAgent()
        + "\r\n" + authorization.map(a -> "Proxy-Authorization: " + a + "\r\n").orElse("")
        + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    HttpBodies.Wire wire = new HttpBodies.Wire(socket);
    wire.head(System.nanoTime() + settings.responseTimeout().toNanos(), "the proxy's answer");
    String status = wire.line(MAX_HEAD_LINE, "the proxy's answer");
    Matcher m = STATUS_LINE.matcher(status);
    while (!wire.line(MAX_HEAD_LINE, "the proxy's answer").isEmpty()) {
      // headers of the CONNECT answer: not used
    }
    if (m.matches() && (m.group(1).equals("407") || m.group(1).equals("401"))) { // tinyproxy answers 401
      throw new ProxyException(authorization.isPresent()
          ? "the proxy " + proxy + " refused the credentials of its URL to connect to " + authority + " ("
              + HttpBodies.printable(status) + "): check the user and password in the proxy variable"
          : "the proxy " + proxy + " wants credentials to connect to " + authority + " (" + HttpBodies.printable(status)
              + "): put them in the proxy variable as http://USER:PASSWORD@HOST:PORT");
    }
    if (!m.matches() || !m.group(1).startsWith("2")) {
      throw new ProxyException("the proxy " + proxy + " refused to connect to " + authority + " ("
          + HttpBodies.printable(status) + ")");
    }
  }

  private Socket handshake(Socket plain, String host, int port) throws IOException {
    SSLContext context;
    try {
      context = settings.tls().isPresent() ? settings.tls().get() : SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IOException("no TLS implementation is available", e);
    }
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
    SSLParameters p = s.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
    s.setSSLParameters(p);
    s.setSoTimeout(millis(settings.responseTimeout()));
    s.startHandshake();
    return s;
  }

  private void writeHead(OutputStream out, HttpRequest r, Optional<String> proxyAuthorization, boolean absoluteForm,
      String host, int port, boolean tls) throws IOException {
    URI u = r.uri();
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    String target = (absoluteForm ? "http://" + authority(host, port) : "") + path
        + (u.getRawQuery() != null ? "?" + u.getRawQuery() : "");
    boolean defaultPort = port == (tls ? 443 : 80);
    StringBuilder sb = new StringBuilder(256);
    sb.append(r.method()).append(' ').append(target).append(" HTTP/1.1\r\n");
    sb.append("Host: ").append(defaultPort ? hostForHeader(host) : authority(host, port)).append("\r\n");
    sb.append("User-Agent: ").append(settings.userAgent()).append("\r\n");
    sb.append("Connection: close\r\n");
    proxyAuthorization.ifPresent(a -> sb.append("Proxy-Authorization: ").append(a).append("\r\n"));
    r.headers().forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    long length = r.body().length();
    if (length > 0 || !r.method().equals("GET") && !r.method().equals("HEAD")) {
      sb.append("Content-Length: ").append(length).append("\r\n");
    }
    sb.append("\r\n");
    out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static void writeBody(OutputStream out, HttpRequest.Body body) throws IOException {
    switch (body) {
      case HttpRequest.Body.Bytes b -> out.write(b.bytes(), b.offset(), b.count());
      case HttpRequest.Body.FileSlice f -> {
        try (InputStream in = Files.newInputStream(f.file())) {
          in.skipNBytes(f.offset());
          byte[] buf = new byte[64 * 1024];
          long left = f.length();
          while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
              throw new IOException(f.file() + " ended " + left + " bytes before the " + f.length()
                  + " bytes to send from offset " + f.offset());
            }
            out.write(buf, 0, n);
            left -= n;
          }
        }
      }
    }
  }

  private HttpResponse readResponse(Socket socket, HttpRequest request) throws IOException {
    HttpBodies.Wire wire = new HttpBodies.Wire(socket);
    String what = "the response head from " + request.uri().getHost();
    wire.head(System.nanoTime() + settings.responseTimeout().toNanos(), what);
    while (true) {
      String statusLine = firstLine(wire, request.uri());
      Matcher m = STATUS_LINE.matcher(statusLine);
      if (!m.matches()) {
        throw new ProtocolException(authority(bareHost(request.uri().getHost()), request.uri().getPort())
            + " did not answer in HTTP (its reply began \"" + HttpBodies.printable(statusLine) + "\")");
      }
      int status = Integer.parseInt(m.group(1));
      Map<String, List<String>> headers = readHeaders(wire, what);
      if (status >= 100 && status < 200) {
        continue; // 100 Continue, 103 Early Hints: the answer follows
      }
      wire.body(millis(request.bodyIdleTimeout().orElse(settings.responseTimeout())));
      InputStream body = frame(wire, request, status, headers);
      return new HttpResponse(request.uri(), status, m.group(2) == null ? "" : m.group(2).strip(), headers, body, socket);
    }
  }

  /** The status line; a reply that is not HTTP is reported with its first bytes, whatever they are. */
  private static String firstLine(HttpBodies.Wire wire, URI uri) throws IOException {
    try {
      return wire.line(MAX_HEAD_LINE, "the status line");
    } catch (ProtocolException e) {
      throw new ProtocolException(uri.getHost() + " did not answer in HTTP (its reply had no line end in "
          + MAX_HEAD_LINE + " bytes)");
    } catch (HttpBodies.Wire.CutLine e) {
      // Bytes that cannot begin "HTTP/" are another protocol or garbage, not a network fault.
      String p = e.partial;
      String http = "HTTP/";
      if (!http.startsWith(p.substring(0, Math.min(p.length(), http.length())))) {
        throw new ProtocolException(uri.getHost() + " did not answer in HTTP (its reply began \""
            + HttpBodies.printable(p) + "\")");
      }
      throw e;
    } catch (SocketTimeoutException e) {
      throw e;
    }
  }

  private static Map<String, List<String>> readHeaders(HttpBodies.Wire wire, String what) throws IOException {
    Map<String, List<String>> headers = new HashMap<>();
    for (int i = 0; ; i++) {
      String line = wire.line(MAX_HEAD_LINE, what);
      if (line.isEmpty()) {
        return headers;
      }
      if (i >= MAX_HEADERS) {
        throw new ProtocolException(what + " has more than " + MAX_HEADERS + " headers");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new ProtocolException(what + " has a malformed header line \"" + HttpBodies.printable(line) + "\"");
      }
      headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(line.substring(colon + 1).strip());
    }
  }

  private static InputStream frame(HttpBodies.Wire wire, HttpRequest request, int status,
      Map<String, List<String>> headers) throws ProtocolException {
    if (request.method().equals("HEAD") || status == 204 || status == 304) {
      return InputStream.nullInputStream();
    }
    List<String> te = headers.getOrDefault("transfer-encoding", List.of());
    if (!te.isEmpty()) {
      String last = te.getLast().toLowerCase(Locale.ROOT);
      if (!last.endsWith("chunked")) {
        throw new ProtocolException("the response's Transfer-Encoding " + HttpBodies.printable(last) + " is not supported");
      }
      return new HttpBodies.Chunked(wire);
    }
    List<String> lengths = headers.getOrDefault("content-length", List.of());
    if (!lengths.isEmpty()) {
      long length = -1;
      for (String v : lengths) {
        for (String part : v.split(",")) {
          long n;
          try {
            n = Long.parseLong(part.strip());
          } catch (NumberFormatException e) {
            n = -1;
          }
          if (n < 0 || (length >= 0 && n != length)) {
            throw new ProtocolException("the response's Content-Length \"" + HttpBodies.printable(String.join(", ", lengths))
                + "\" is not one number");
          }
          length = n;
        }
      }
      return new HttpBodies.Fixed(wire, length);
    }
    return wire; // until the server closes the connection
  }

  /** {@code host:port}, with an IPv6 address in brackets. */
  static String authority(String host, int port) {
    return hostForHeader(host) + (port > 0 ? ":" + port : "");
  }

  private static String hostForHeader(String host) {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  private static String bareHost(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static int millis(java.time.Duration d) {
    return Math.clamp(d.toMillis(), 1, Integer.MAX_VALUE);
  }
}
