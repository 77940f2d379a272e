package soko.testkit.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server with fault switches. Each request is offered to the installed
 * {@link Rule}s in order; the first that answers wins. Unanswered requests are forwarded to the
 * upstream registry when one is set ({@link #forwardTo}), rewriting upstream {@code Location}
 * headers so the client stays on this server; otherwise they get 404. Every request is recorded
 * ({@link #requests()}), so tests can assert exactly what a client sent.
 */
public final class FaultServer implements AutoCloseable {
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade",
      "transfer-encoding", "keep-alive", "te", "trailer");

  /** A request as received; header names are lower-case. */
  public record Request(String method, String path, Optional<String> query, Map<String, List<String>> headers, byte[] body) {
    public Optional<String> header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
  }

  /** A canned answer. {@code body} is sent as is, even for HEAD (where it is dropped). */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public Response {
      headers = Map.copyOf(headers);
    }

    public static Response of(int status) {
      return new Response(status, Map.of(), new byte[0]);
    }
  }

  /** Answers a request, or returns empty to let the next rule (or the upstream) answer. */
  @FunctionalInterface
  public interface Rule {
    Optional<Response> answer(Request request) throws IOException;
  }

  private final HttpServer server;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .version(HttpClient.Version.HTTP_1_1).build();
  private volatile Optional<String> upstream = Optional.empty();

  private FaultServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
  }

  public static FaultServer start() throws IOException {
    return new FaultServer();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code 127.0.0.1:PORT}. */
  public String hostPort() {
    return "127.0.0.1:" + port();
  }

  /** Forwards unanswered requests to {@code http://HOSTPORT}. */
  public FaultServer forwardTo(String hostPort) {
    upstream = Optional.of(hostPort);
    return this;
  }

  /** Adds a rule after the existing ones. */
  public FaultServer rule(Rule rule) {
    rules.add(rule);
    return this;
  }

  public void clearRules() {
    rules.clear();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      Map<String, List<String>> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      URI uri = ex.getRequestURI();
      Request req = new Request(ex.getRequestMethod(), uri.getRawPath(), Optional.ofNullable(uri.getRawQuery()), Map.copyOf(headers), body);
      requests.add(req);
      Optional<Response> answer = Optional.empty();
      for (Rule r : rules) {
        answer = r.answer(req);
        if (answer.isPresent()) {
          break;
        }
      }
      if (answer.isEmpty() && upstream.isPresent()) {
        answer = Optional.of(forward(req, upstream.get()));
      }
      send(ex, answer.orElse(Response.of(404)));
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private Response forward(Request req, String up) throws IOException {
    URI target = URI.create("http://" + up + req.path() + req.query().map(q -> "?" + q).orElse(""));
    HttpRequest.Builder b = HttpRequest.newBuilder(target).method(req.method(),
        req.body().length == 0 && !req.method().equals("PUT") && !req.method().equals("PATCH")
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(req.body()));
    req.headers().forEach((k, vs) -> {
      if (!RESTRICTED.contains(k)) {
        vs.forEach(v -> b.header(k, v));
      }
    });
    try {
      HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      Map<String, String> out = new LinkedHashMap<>();
      r.headers().map().forEach((k, vs) -> {
        String lk = k.toLowerCase(Locale.ROOT);
        if (!RESTRICTED.contains(lk) && !lk.equals(":status") && !vs.isEmpty()) {
          String v = String.join(", ", vs);
          if (lk.equals("location")) {
            v = v.replace("http://" + up, "http://" + hostPort());
          }
          out.put(k, v);
        }
      });
      return new Response(r.statusCode(), out, r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void send(HttpExchange ex, Response r) throws IOException {
    r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    boolean noBody = ex.getRequestMethod().equals("HEAD") || r.status() == 204 || r.status() == 304;
    if (noBody) {
      ex.sendResponseHeaders(r.status(), -1);
      return;
    }
    ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
    if (r.body().length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(r.body());
      }
    }
  }

  /** Headers of all recorded requests whose path starts with {@code prefix}, in order. */
  public List<Request> requestsTo(String prefix) {
    List<Request> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.path().startsWith(prefix)) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    client.close();
  }
}
