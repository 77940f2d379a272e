package soko.cli.oci;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A streaming loopback proxy in front of a registry that sends blob bodies at a chosen rate and
 * counts the body bytes it delivered for each request. (The testkit's FaultServer buffers whole
 * bodies, so it cannot leave a client mid-transfer.)
 */
final class ThrottlingProxy implements AutoCloseable {
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade",
      "transfer-encoding", "keep-alive", "te", "trailer", "date");
  private static final int SLICE = 16 * 1024;

  /** One request: its Range header, and the body bytes this proxy delivered for it. */
  record Served(String method, String path, Optional<String> range, AtomicLong bytes) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .version(HttpClient.Version.HTTP_1_1).build();
  private final String upstream;
  private final List<Served> served = new CopyOnWriteArrayList<>();
  private volatile long blobBytesPerSecond;

  ThrottlingProxy(String upstream, long blobBytesPerSecond) throws IOException {
    this.upstream = upstream;
    this.blobBytesPerSecond = blobBytesPerSecond;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String hostPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** 0 for no limit. */
  void throttle(long bytesPerSecond) {
    blobBytesPerSecond = bytesPerSecond;
  }

  List<Served> served(String pathSuffix) {
    return served.stream().filter(s -> s.path().endsWith(pathSuffix)).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      URI uri = ex.getRequestURI();
      byte[] body = ex.getRequestBody().readAllBytes();
      Served s = new Served(method, uri.getRawPath(), Optional.ofNullable(ex.getRequestHeaders().getFirst("Range")), new AtomicLong());
      served.add(s);
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + upstream + uri.getRawPath()
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
          .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      ex.getRequestHeaders().forEach((k, vs) -> {
        if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT))) {
          vs.forEach(v -> b.header(k, v));
        }
      });
      HttpResponse<InputStream> r;
      try {
        r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      r.headers().map().forEach((k, vs) -> {
        if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
          ex.getResponseHeaders().put(k, vs);
        }
      });
      long length = r.headers().firstValueAsLong("Content-Length").orElse(0);
      try (InputStream in = r.body()) {
        if (method.equals("HEAD") || length == 0) {
          ex.sendResponseHeaders(r.statusCode(), -1);
          return;
        }
        ex.sendResponseHeaders(r.statusCode(), length);
        boolean blob = uri.getRawPath().contains("/blobs/");
        OutputStream out = ex.getResponseBody();
        byte[] buf = new byte[SLICE];
        int n;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
          out.flush();
          s.bytes().addAndGet(n);
          long rate = blobBytesPerSecond;
          if (blob && rate > 0) {
            Thread.sleep(Math.max(1, n * 1000L / rate));
          }
        }
        out.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException clientGone) {
        // The client was killed mid-transfer: what was delivered is counted.
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    client.close();
  }
}
