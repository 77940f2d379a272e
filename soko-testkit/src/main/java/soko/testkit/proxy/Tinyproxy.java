package soko.testkit.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's tinyproxy ({@code /usr/bin/tinyproxy}, package tinyproxy) on 127.0.0.1, in the
 * foreground, with a configuration and log under a folder the caller owns. It forwards
 * absolute-form requests ({@code GET http://…}) and tunnels {@code CONNECT} to any port; with
 * {@link #start(Path, Optional)} given a user and password it answers 407 to requests without
 * them. Stopped by {@link #close()}.
 */
public final class Tinyproxy implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/tinyproxy");
  private static final Pattern REQUEST = Pattern.compile("Request \\(file descriptor \\d+\\): (\\S+) (\\S+) HTTP/1\\.[01]");

  private final Path log;
  private final Process process;
  private final int port;

  private Tinyproxy(Path log, Process process, int port) {
    this.log = log;
    this.process = process;
    this.port = port;
  }

  /** Why tinyproxy cannot run here, or empty when it can; print it when skipping. */
  public static Optional<String> unavailableReason() {
    return Files.isExecutable(BINARY) ? Optional.empty()
        : Optional.of(BINARY + " is not installed; install the Debian package tinyproxy (bin/install-test-deps.sh)");
  }

  /**
   * Starts tinyproxy.
   *
   * @param credentials {@code user} and {@code password} (letters and digits) it requires, or empty
   */
  public static Tinyproxy start(Path dir, Optional<List<String>> credentials) throws IOException {
    Optional<String> why = unavailableReason();
    if (why.isPresent()) {
      throw new IOException(why.get());
    }
    Files.createDirectories(dir);
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Path conf = dir.resolve("tinyproxy.conf");
      Path log = dir.resolve("tinyproxy-" + port + ".log");
      Files.writeString(conf, """
          Port %d
          Listen 127.0.0.1
          Timeout 60
          LogLevel Info
          MaxClients 32
          Allow 127.0.0.1
          PidFile "%s"
          %s
          """.formatted(port, dir.resolve("tinyproxy.pid"),
          credentials.map(c -> "BasicAuth " + c.get(0) + " " + c.get(1)).orElse("")));
      Process p = new ProcessBuilder(BINARY.toString(), "-d", "-c", conf.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        if (awaitListening(p, port)) {
          return new Tinyproxy(log, p, port);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting tinyproxy", e);
      }
      p.destroyForcibly();
      last = new IOException("tinyproxy did not start on port " + port + ": " + Files.readString(log));
    }
    throw last;
  }

  private static boolean awaitListening(Process p, int port) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        return false;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return true;
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}, or with {@code user:password@} before the host. */
  public String url(Optional<String> userInfo) {
    return "http://" + userInfo.map(u -> u + "@").orElse("") + "127.0.0.1:" + port;
  }

  /** One request the proxy received: {@code GET http://…} or {@code CONNECT host:port}. */
  public record Request(String method, String target) {}

  /** The requests received so far, oldest first (whether or not they were authorised). */
  public List<Request> requests() throws IOException {
    List<Request> out = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      Matcher m = REQUEST.matcher(line);
      if (m.find()) {
        out.add(new Request(m.group(1), m.group(2)));
      }
    }
    return out;
  }

  /** The whole log, for a failing test's message. */
  public String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
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
  }
}
