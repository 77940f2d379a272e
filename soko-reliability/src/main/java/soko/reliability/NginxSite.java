package soko.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx on 127.0.0.1 with a server block the caller writes: a rate-limited reverse proxy
 * in front of a registry, or locations that answer the way real servers misbehave ({@code
 * limit_rate 1}, {@code return 302} loops, unreadable files). {@link soko.testkit.nginx.Nginx}
 * serves files and a slow path; this class is for the configurations it does not offer.
 * Stopped by {@link #close()} (the master this object started, and its workers).
 */
final class NginxSite implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/nginx");

  private final Process process;
  private final int port;

  private NginxSite(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Starts nginx with {@code serverBody} inside its {@code server {}} block ({@code %ROOT%} is
   * replaced by {@code dir/www}), its logs and temp files under {@code dir}.
   */
  static NginxSite start(Path dir, String serverBody) throws IOException {
    Path root = Files.createDirectories(dir.resolve("www"));
    Files.createDirectories(dir.resolve("temp"));
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      String d = dir.toAbsolutePath().toString();
      String user = ProcessHandle.current().info().user().orElse("").equals("root") ? "user root;" : "";
      String conf = """
          %s
          daemon off;
          master_process on;
          worker_processes 1;
          pid %s/nginx.pid;
          error_log %s/error.log warn;
          events { worker_connections 256; }
          http {
            access_log %s/access.log;
            client_body_temp_path %s/temp/body;
            proxy_temp_path %s/temp/proxy;
            fastcgi_temp_path %s/temp/fastcgi;
            uwsgi_temp_path %s/temp/uwsgi;
            scgi_temp_path %s/temp/scgi;
            default_type application/octet-stream;
            server {
              listen 127.0.0.1:%d;
              root %s;
              %s
            }
          }
          """.formatted(user, d, d, d, d, d, d, d, d, port, root.toAbsolutePath(),
          serverBody.replace("%ROOT%", root.toAbsolutePath().toString()));
      Path file = dir.resolve("nginx.conf");
      Files.writeString(file, conf);
      Process p = new ProcessBuilder(BINARY.toString(), "-p", d, "-c", file.toString(), "-e", d + "/error.log")
          .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
      if (awaitListening(p, port)) {
        return new NginxSite(p, port);
      }
      p.destroyForcibly();
    }
    throw new IOException("nginx did not start; see " + dir.resolve("error.log"));
  }

  private static boolean awaitListening(Process p, int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        return false;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return true;
      } catch (IOException notYet) {
        sleep(20);
      }
    }
    return false;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  int port() {
    return port;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  @Override
  public void close() {
    var workers = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    workers.forEach(ProcessHandle::destroyForcibly);
  }
}
