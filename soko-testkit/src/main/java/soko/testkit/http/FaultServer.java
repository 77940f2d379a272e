package soko.testkit.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 server on 127.0.0.1 built on raw sockets, so that it can send what well-behaved
 * servers never send: truncated and endless bodies, resets, wrong lengths, stalls, ignored ranges,
 * changing ETags, error bursts and redirects (see {@link Fault}).
 *
 * <p>Each connection carries one request and is closed after the response ({@code Connection:
 * close}). Served correctly, a route honours {@code Range: bytes=N-} / {@code bytes=N-M} and
 * {@code If-Range} (strong ETag comparison), and answers 416 for a range starting at or past the
 * end. Every request is recorded with its headers; body bytes sent are counted.
 *
 * <p>Thread-safe. {@link #close()} stops the server and drops open connections.
 */
public final class FaultServer implements AutoCloseable {
  private static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final int CHUNK = 64 * 1024;
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  private final ServerSocket server;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong bodyBytesSent = new AtomicLong();
  private final Thread acceptor;
  private volatile boolean closed;

  private FaultServer(ServerSocket server) {
    this.server = server;
    this.acceptor = Thread.ofPlatform().daemon().name("fault-server-" + server.getLocalPort()).unstarted(this::acceptLoop);
  }

  /** Starts a server on a free loopback port. */
  public static FaultServer start() throws IOException {
    FaultServer s = new FaultServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    s.acceptor.start();
    return s;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port><path>}; {@code path} starts with '/'. */
  public URI uri(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  /** Serves {@code body} at {@code path} with ETag {@code "v1"}; configure the returned route. */
  public Route serve(String path, byte[] body) {
    Route r = new Route(body.clone());
    routes.put(path, r);
    return r;
  }

  /** Every request to {@code path} is redirected with {@code status} to {@code location}. */
  public Route redirect(String path, int status, URI location) {
    Route r = new Route(new byte[0]);
    r.always = new Fault.Redirect(status, location);
    routes.put(path, r);
    return r;
  }

  /** The requests received so far, oldest first. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests received for {@code path}. */
  public List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Body bytes written to clients so far (headers excluded), over all routes. */
  public long bodyBytesSent() {
    return bodyBytesSent.get();
  }

  /** One received request; header names are lower-case. */
  public record Request(String method, String path, Map<String, String> headers) {
    public Request {
      headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  /** A served file and the faults it will show on its next requests. */
  public static final class Route {
    private final byte[] body;
    private final Deque<Fault> queue = new ArrayDeque<>();
    private volatile String etag = "\"v1\"";
    private volatile boolean ranges = true;
    private volatile boolean ifRange = true;
    private volatile Fault always;

    private Route(byte[] body) {
      this.body = body;
    }

    /** Sets the ETag sent from now on (with quotes, e.g. {@code "\"v2\""}). */
    public Route etag(String etag) {
      this.etag = etag;
      return this;
    }

    /** When false, every Range is ignored and the whole body is sent with 200. */
    public Route rangeSupport(boolean on) {
      this.ranges = on;
      return this;
    }

    /** When false, If-Range is ignored: a Range is honoured even when the validator is stale. */
    public Route ifRangeSupport(boolean on) {
      this.ifRange = on;
      return this;
    }

    /** The next request not yet given a fault gets {@code fault}. */
    public synchronized Route then(Fault fault) {
      queue.add(fault);
      return this;
    }

    /** The next {@code times} requests get {@code fault}. */
    public synchronized Route then(int times, Fault fault) {
      for (int i = 0; i < times; i++) {
        queue.add(fault);
      }
      return this;
    }

    private synchronized Optional<Fault> next() {
      if (always != null) {
        return Optional.of(always);
      }
      return Optional.ofNullable(queue.poll());
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        open.add(s);
        Thread.ofVirtual().name("fault-server-conn").start(() -> handle(s));
      } catch (IOException e) {
        if (!closed) {
          System.err.println("fault server: accept failed: " + e);
        }
      }
    }
  }

  private void handle(Socket s) {
    boolean reset = false;
    try {
      Optional<Request> parsed = readRequest(s.getInputStream());
      if (parsed.isEmpty()) {
        return;
      }
      Request req = parsed.get();
      requests.add(req);
      reset = respond(req, s.getOutputStream(), s);
    } catch (IOException | InterruptedException e) {
      // The client went away or the server is closing: nothing to do.
    } finally {
      try {
        if (reset) {
          s.setSoLinger(true, 0);
        }
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      open.remove(s);
    }
  }

  private static Optional<Request> readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return Optional.empty();
      }
      head.write(b);
      if (head.size() > MAX_HEADER_BYTES) {
        throw new IOException("request head too large");
      }
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] start = lines[0].split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    String target = start.length > 1 ? start[1] : "/";
    int q = target.indexOf('?');
    return Optional.of(new Request(start[0], q < 0 ? target : target.substring(0, q), headers));
  }

  /** Writes the response; returns true when the connection must be reset rather than closed. */
  private boolean respond(Request req, OutputStream out, Socket s) throws IOException, InterruptedException {
    Route route = routes.get(req.path());
    if (route == null) {
      writeText(out, 404, "no route for " + req.path());
      return false;
    }
    Fault fault = route.next().orElse(null);
    switch (fault) {
      case Fault.Status st -> {
        writeText(out, st.code(), "fault: status " + st.code());
        return false;
      }
      case Fault.RetryAfter ra -> {
        byte[] b = ("fault: status " + ra.code()).getBytes(StandardCharsets.UTF_8);
        writeHead(out, ra.code(), Map.of("Retry-After", ra.value(), "Content-Type", "text/plain; charset=utf-8",
            "Content-Length", Integer.toString(b.length)));
        out.write(b);
        out.flush();
        return false;
      }
      case Fault.Redirect r -> {
        writeHead(out, r.status(), Map.of("Location", r.location().toString(), "Content-Length", "0"));
        return false;
      }
      case Fault.Unauthorized u -> {
        writeHead(out, 401, Map.of("WWW-Authenticate", u.challenge(), "Content-Length", "0"));
        return false;
      }
      case Fault.NotHttp n -> {
        out.write(n.text().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return false;
      }
      case Fault.NewEtag n -> route.etag = n.etag();
      case Fault.Endless e -> {
        writeHead(out, 200, Map.of("ETag", route.etag));
        long sent = send(out, route.body, 0, route.body.length);
        byte[] junk = new byte[CHUNK];
        while (!closed) {
          out.write(junk);
          sent += junk.length;
          bodyBytesSent.addAndGet(junk.length);
        }
        return false;
      }
      case null, default -> { }
    }

    byte[] body = route.body;
    if (fault instanceof Fault.Corrupt && body.length > 0) {
      body = body.clone();
      body[body.length / 2] ^= 0x5a;
    }
    long from = 0;
    long to = body.length;
    int status = 200;
    Map<String, String> h = new LinkedHashMap<>();
    h.put("ETag", route.etag);
    h.put("Accept-Ranges", "bytes");
    Optional<String> range = req.header("range");
    boolean validatorOk = req.header("if-range").map(v -> !route.ifRange || v.equals(route.etag)).orElse(true);
    if (range.isPresent() && route.ranges && validatorOk && !(fault instanceof Fault.IgnoreRange)) {
      Matcher m = RANGE.matcher(range.get());
      if (m.matches()) {
        long start = Long.parseLong(m.group(1));
        if (start >= body.length) {
          writeHead(out, 416, Map.of("Content-Range", "bytes */" + body.length, "Content-Length", "0"));
          return false;
        }
        long end = m.group(2).isEmpty() ? body.length - 1 : Math.min(Long.parseLong(m.group(2)), body.length - 1);
        from = start;
        to = end + 1;
        status = 206;
        h.put("Content-Range", "bytes " + start + "-" + end + "/" + body.length);
      }
    }
    long length = to - from;
    long declared = fault instanceof Fault.WrongContentLength w ? Math.max(0, length + w.delta()) : length;
    h.put("Content-Length", Long.toString(declared));
    if (fault instanceof Fault.SlowHead slow) {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      writeHead(head, status, h);
      for (byte b : head.toByteArray()) {
        out.write(b);
        out.flush();
        Thread.sleep(slow.every());
      }
    } else {
      writeHead(out, status, h);
    }
    if (req.method().equals("HEAD")) {
      return false;
    }
    switch (fault) {
      case Fault.TruncateAfter t -> send(out, body, from, Math.min(to, from + t.bytes()));
      case Fault.ResetAfter r -> {
        send(out, body, from, Math.min(to, from + r.bytes()));
        return true;
      }
      case Fault.StallAfter st -> {
        send(out, body, from, Math.min(to, from + st.bytes()));
        out.flush();
        long until = System.nanoTime() + st.hold().toNanos();
        while (!closed && System.nanoTime() < until && !s.isClosed()) {
          Thread.sleep(10);
        }
      }
      case Fault.WrongContentLength w -> send(out, body, from, from + Math.min(length, declared));
      case Fault.Trickle t -> {
        long pos = from + send(out, body, from, Math.min(to, from + t.bytes()));
        while (pos < to && !closed) {
          Thread.sleep(t.every());
          pos += send(out, body, pos, Math.min(to, pos + t.chunk()));
        }
      }
      case Fault.ExtraBytes x -> {
        send(out, body, from, to);
        byte[] extra = new byte[x.extra()];
        out.write(extra);
        bodyBytesSent.addAndGet(extra.length);
      }
      case null, default -> send(out, body, from, to);
    }
    out.flush();
    return false;
  }

  private long send(OutputStream out, byte[] body, long from, long to) throws IOException {
    long pos = from;
    while (pos < to) {
      int n = (int) Math.min(CHUNK, to - pos);
      out.write(body, (int) pos, n);
      bodyBytesSent.addAndGet(n);
      pos += n;
    }
    out.flush();
    return to - from;
  }

  private static void writeText(OutputStream out, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    writeHead(out, status, Map.of("Content-Type", "text/plain; charset=utf-8", "Content-Length", Integer.toString(b.length)));
    out.write(b);
    out.flush();
  }

  private static void writeHead(OutputStream out, int status, Map<String, String> headers) throws IOException {
    StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    sb.append("Connection: close\r\n\r\n");
    out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 206 -> "Partial Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      case 416 -> "Range Not Satisfiable";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : open) {
      try {
        s.close();
      } catch (SocketException ignored) {
        // already closed
      }
    }
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
