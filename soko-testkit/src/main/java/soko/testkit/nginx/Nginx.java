package soko.testkit.nginx;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import soko.testkit.daemon.LoopbackDaemon;

/**
 * Debian's nginx ({@code /usr/sbin/nginx}, package nginx-light) on 127.0.0.1 with a private
 * configuration, pid file, temp folders and logs under a folder the caller owns (usually a
 * {@code @TempDir}). Stopped by {@link #close()}.
 *
 * <p>Locations:
 *
 * <ul>
 *   <li>{@code /…}: files under {@link #root()}, served with sendfile, strong ETags, Last-Modified
 *       and byte ranges;
 *   <li>{@code /slow/…}: the same files after the first {@value #SLOW_AFTER}, at {@value
 *       #SLOW_RATE} bytes a second per connection, so a test can interrupt a transfer in flight;
 *   <li>{@code /noranges/…}: the same files, ranges ignored ({@code max_ranges 0}: 200 and the whole file);
 *   <li>{@code /noetag/…}: the same files without an ETag (Last-Modified only).
 * </ul>
 *
 * <p>Each request is logged (see {@link #accessLog()}) with the bytes of body sent, so tests can
 * count what was transferred. Pass {@link #unavailableReason()} to {@code RequiredTool.require}:
 * it skips where nginx is not installed, and fails under {@code CI=true}.
 */
public final class Nginx implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/sbin/nginx");
  public static final String SLOW_AFTER = "256k";
  public static final String SLOW_RATE = "1m";

  private final Path dir;
  private final Path root;
  private final LoopbackDaemon daemon;
  private final boolean tls;

  private Nginx(Path dir, Path root, LoopbackDaemon daemon, boolean tls) {
    this.dir = dir;
    this.root = root;
    this.daemon = daemon;
    this.tls = tls;
  }

  /** Why nginx cannot run here, or empty when it can; print it when skipping. */
  public static Optional<String> unavailableReason() {
    if (!Files.isExecutable(BINARY)) {
      return Optional.of(BINARY + " is not installed; install the Debian package nginx-light (apt-get install nginx-light)");
    }
    return Optional.empty();
  }

  public static boolean available() {
    return unavailableReason().isEmpty();
  }

  /** Starts nginx with its configuration, logs and web root under {@code dir}. */
  public static Nginx start(Path dir) throws IOException {
    return start(dir, Optional.empty());
  }

  /** A PEM certificate (chain) and its PEM private key, for https. */
  public record Tls(Path certificate, Path key) {}

  /** Starts nginx serving https with {@code tls} (or http when empty) on its one port. */
  public static Nginx start(Path dir, Optional<Tls> tls) throws IOException {
    Optional<String> why = unavailableReason();
    if (why.isPresent()) {
      throw new IOException(why.get());
    }
    Path root = Files.createDirectories(dir.resolve("www"));
    Files.createDirectories(dir.resolve("temp"));
    Path conf = dir.resolve("nginx.conf");
    LoopbackDaemon daemon = LoopbackDaemon.start("nginx", port -> {
      Files.writeString(conf, config(dir, root, port, tls));
      return new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", conf.toString(),
          "-e", dir.resolve("error.log").toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout.log").toFile());
    }, port -> tail(dir.resolve("error.log")) + tail(dir.resolve("stdout.log")));
    return new Nginx(dir, root, daemon, tls.isPresent());
  }

  private static String config(Path dir, Path root, int port, Optional<Tls> tls) {
    String d = dir.toAbsolutePath().toString();
    return """
        %6$s
        daemon off;
        master_process on;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 64; }
        http {
          log_format soko '$request_method $uri $status $body_bytes_sent "$http_range" "$http_if_range" "$http_authorization" "$http_proxy_authorization"';
          access_log %1$s/access.log soko;
          log_format timing '$msec $request_time $uri';
          access_log %1$s/timing.log timing;
          client_body_temp_path %1$s/temp/body;
          proxy_temp_path %1$s/temp/proxy;
          fastcgi_temp_path %1$s/temp/fastcgi;
          uwsgi_temp_path %1$s/temp/uwsgi;
          scgi_temp_path %1$s/temp/scgi;
          types { application/octet-stream bin; }
          default_type application/octet-stream;
          sendfile on;
          tcp_nopush on;
          keepalive_timeout 5s;
          server {
            listen 127.0.0.1:%3$d%7$s;
            root %2$s;
            location /slow/ {
              alias %2$s/;
              limit_rate_after %4$s;
              limit_rate %5$s;
            }
            location /noranges/ {
              alias %2$s/;
              max_ranges 0;
            }
            location /noetag/ {
              alias %2$s/;
              etag off;
            }
          }
        }
        """.formatted(d, root.toAbsolutePath(), port, SLOW_AFTER, SLOW_RATE, userDirective(),
            tls.map(t -> " ssl;\n    ssl_certificate " + t.certificate().toAbsolutePath() + ";\n    ssl_certificate_key "
                + t.key().toAbsolutePath()).orElse(""));
  }

  /**
   * As root, nginx would run its worker as "nobody", which cannot read a private temp folder;
   * keep the worker as the current user instead.
   */
  private static String userDirective() {
    String user = ProcessHandle.current().info().user().orElse("");
    return user.equals("root") ? "user root;" : "";
  }

  private static String tail(Path file) {
    try {
      String s = Files.exists(file) ? Files.readString(file).strip() : "";
      return s.length() > 400 ? s.substring(s.length() - 400) : s;
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e.getMessage() + ")";
    }
  }

  /** The folder whose files are served; tests write their files here. */
  public Path root() {
    return root;
  }

  public int port() {
    return daemon.port();
  }

  /** {@code http://127.0.0.1:<port><path>} (https when started with TLS); {@code path} starts with '/'. */
  public URI uri(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + daemon.port() + path);
  }

  /** One line of the access log. Empty header values are "-" in nginx's log and empty here. */
  public record Entry(String method, String path, int status, long bodyBytesSent, String range, String ifRange,
      String authorization, String proxyAuthorization) {}

  /**
   * The requests logged so far, oldest first. nginx writes a line when a response ends, so a test
   * that has just received a body may need {@link #awaitEntries}.
   */
  public List<Entry> accessLog() throws IOException {
    Path log = dir.resolve("access.log");
    List<Entry> out = new ArrayList<>();
    if (!Files.exists(log)) {
      return out;
    }
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      out.add(parse(line));
    }
    return out;
  }

  /** Waits until at least {@code count} requests are logged, then returns the log. */
  public List<Entry> awaitEntries(int count, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Entry> log = accessLog();
    while (log.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
      log = accessLog();
    }
    return log;
  }

  /**
   * When one request was served: from nginx's reading its first byte to the log line after its
   * last, in milliseconds of nginx's clock ({@code $msec - $request_time}, {@code $msec}).
   */
  public record Served(String path, long startMillis, long endMillis) {}

  /** The time span of every request logged so far, oldest first (to count how many ran at once). */
  public List<Served> served() throws IOException {
    Path log = dir.resolve("timing.log");
    List<Served> out = new ArrayList<>();
    if (!Files.exists(log)) {
      return out;
    }
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      String[] f = line.split(" ", 3);
      long end = Math.round(Double.parseDouble(f[0]) * 1000);
      long took = Math.round(Double.parseDouble(f[1]) * 1000);
      out.add(new Served(f[2], end - took, end));
    }
    return out;
  }

  /** The most requests that were being served at one instant (spans that only touch do not overlap). */
  public static int mostAtOnce(List<Served> served) {
    int most = 0;
    for (Served s : served) {
      int at = 0;
      for (Served o : served) {
        if (o.startMillis() <= s.startMillis() && s.startMillis() < o.endMillis()) {
          at++;
        }
      }
      most = Math.max(most, at);
    }
    return most;
  }

  private static Entry parse(String line) {
    String[] head = line.split(" ", 5);
    if (head.length < 5) {
      throw new IllegalStateException("unexpected access log line: " + line);
    }
    List<String> quoted = new ArrayList<>();
    int i = 0;
    String rest = head[4];
    while ((i = rest.indexOf('"', i)) >= 0) {
      int end = rest.indexOf('"', i + 1);
      String v = rest.substring(i + 1, end);
      quoted.add(v.equals("-") ? "" : v.replace("\\x22", "\""));
      i = end + 1;
    }
    return new Entry(head[0], head[1], Integer.parseInt(head[2]), Long.parseLong(head[3]),
        quoted.get(0), quoted.get(1), quoted.get(2), quoted.size() > 3 ? quoted.get(3) : "");
  }

  @Override
  public void close() throws IOException {
    daemon.close();
  }
}
