package soko.testkit.registry;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real CNCF distribution registry ({@code docker-registry serve CONFIG}, Debian package
 * {@code docker-registry}, v2.8.2) on 127.0.0.1, storing blobs under a test folder, with delete
 * enabled; anonymous, or behind a {@link TokenServer}. Stopped by {@link #close()} (the process
 * this object started, by its handle).
 */
public final class LocalRegistry implements AutoCloseable {
  public static final String BINARY = "docker-registry";
  private static final Duration STARTUP = Duration.ofSeconds(20);

  private final Process process;
  private final int port;
  private final Path log;

  private LocalRegistry(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Why a registry cannot be started here, or empty when it can. */
  public static Optional<String> unavailableReason() {
    try {
      Process p = new ProcessBuilder(BINARY, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.of(BINARY + " --version failed; install the Debian package docker-registry");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(BINARY + " is not installed (apt-get install docker-registry): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while probing " + BINARY);
    }
  }

  /**
   * Starts a registry storing under {@code dir}; with {@code auth}, every request needs a token
   * from that server.
   */
  public static LocalRegistry start(Path dir, Optional<TokenServer> auth) throws IOException {
    return start(dir, auth, auth.map(TokenServer::realm));
  }

  /**
   * As {@link #start(Path, Optional)}, with the token realm the registry names in its challenges
   * (for example a recording proxy in front of the token server).
   */
  public static LocalRegistry start(Path dir, Optional<TokenServer> auth, Optional<String> realm) throws IOException {
    Files.createDirectories(dir.resolve("data"));
    int port = freePort();
    StringBuilder cfg = new StringBuilder()
        .append("version: 0.1\n")
        .append("log:\n  level: info\n  accesslog:\n    disabled: false\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n')
        .append("  delete:\n    enabled: true\n")
        .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
        .append("  secret: soko-test-secret\n");
    if (auth.isPresent()) {
      cfg.append("auth:\n  token:\n")
          .append("    realm: ").append(realm.orElse(auth.get().realm())).append('\n')
          .append("    service: ").append(TokenServer.SERVICE).append('\n')
          .append("    issuer: ").append(TokenServer.ISSUER).append('\n')
          .append("    rootcertbundle: ").append(auth.get().certificateBundle()).append('\n');
    }
    Path config = dir.resolve("config.yml");
    Files.writeString(config, cfg.toString());
    Path log = dir.resolve("registry.log");
    Process p = new ProcessBuilder(List.of(BINARY, "serve", config.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    LocalRegistry r = new LocalRegistry(p, port, log);
    Instant deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new IOException(BINARY + " exited with " + p.exitValue() + ": " + r.logTail());
      }
      if (r.answers()) {
        return r;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        r.close();
        throw new IOException("interrupted while starting " + BINARY, e);
      }
    }
    r.close();
    throw new IOException(BINARY + " did not answer on port " + port + " within " + STARTUP + ": " + r.logTail());
  }

  private boolean answers() {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v2/").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      int code = c.getResponseCode();
      c.disconnect();
      return code == 200 || code == 401;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** {@code 127.0.0.1:PORT}: the registry part of a reference. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  /** The last lines of the registry's log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
