package soko.testkit.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import soko.testkit.daemon.LoopbackDaemon;

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
  private final LoopbackDaemon daemon;

  private Tinyproxy(Path log, LoopbackDaemon daemon) {
    this.log = log;
    this.daemon = daemon;
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
    LoopbackDaemon daemon = LoopbackDaemon.start("tinyproxy", port -> {
      Path conf = dir.resolve("tinyproxy.conf");
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
      return new ProcessBuilder(BINARY.toString(), "-d", "-c", conf.toString())
          .redirectErrorStream(true).redirectOutput(log(dir, port).toFile());
    }, port -> Files.readString(log(dir, port)));
    return new Tinyproxy(log(dir, daemon.port()), daemon);
  }

  private static Path log(Path dir, int port) {
    return dir.resolve("tinyproxy-" + port + ".log");
  }

  public int port() {
    return daemon.port();
  }

  /** {@code http://127.0.0.1:PORT}, or with {@code user:password@} before the host. */
  public String url(Optional<String> userInfo) {
    return "http://" + userInfo.map(u -> u + "@").orElse("") + "127.0.0.1:" + daemon.port();
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
    daemon.close();
  }
}
