package soko.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import soko.app.Soko;

/**
 * {@code soko serve} in a child JVM, so a test can kill it the hard way ({@code SIGKILL}): no
 * goodbye on the event stream, no closed sockets but the kernel's.
 */
final class ServeInChild implements AutoCloseable {
  private final Process process;
  private final String uri;

  private ServeInChild(Process process, String uri) {
    this.process = process;
    this.uri = uri;
  }

  /** Starts a server over the store under {@code home} and waits for the URL it prints. */
  static ServeInChild start(Path home) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), ServeInChild.class.getName(),
        home.toString())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      String uri = line.get(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS);
      if (uri == null || !uri.startsWith("http://")) {
        throw new IllegalStateException("the child server printed " + uri + " instead of its URL");
      }
      return new ServeInChild(p, uri);
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  String uri() {
    return uri;
  }

  int port() {
    return java.net.URI.create(uri).getPort();
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static void main(String[] args) throws Exception {
    Soko soko = Fixtures.soko(Path.of(args[0]));
    WebServer web = WebServer.start(soko, WebServer.LOOPBACK, 0);
    System.out.println(web.uri());
    System.out.flush();
    web.awaitClose();
  }
}
