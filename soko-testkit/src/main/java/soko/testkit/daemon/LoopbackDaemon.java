package soko.testkit.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server program (nginx, tinyproxy) run in the foreground on a 127.0.0.1 port: started on a free
 * port, awaited until the port accepts connections, retried on another port when it does not (the
 * port may have been taken between choosing and binding), and stopped by {@link #close()} with its
 * child processes. Not thread-safe.
 */
public final class LoopbackDaemon implements AutoCloseable {
  private static final int ATTEMPTS = 3;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  /** Writes the program's configuration for {@code port} and returns how to run it. */
  @FunctionalInterface
  public interface Launch {
    ProcessBuilder at(int port) throws IOException;
  }

  /** Says why the program did not start on {@code port} (its logs), for the exception's message. */
  @FunctionalInterface
  public interface Failure {
    String describe(int port) throws IOException;
  }

  private final Process process;
  private final int port;

  private LoopbackDaemon(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the program and waits until its port listens.
   *
   * @param name the program's name, for messages
   * @throws IOException when it did not listen within 10 s on any of three ports; the message
   *     carries {@code failure}'s description of the last attempt
   */
  public static LoopbackDaemon start(String name, Launch launch, Failure failure) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = freePort();
      Process p = launch.at(port).start();
      try {
        if (awaitListening(p, port)) {
          return new LoopbackDaemon(p, port);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting " + name, e);
      }
      p.destroyForcibly();
      last = new IOException(name + " did not start on port " + port + ": " + failure.describe(port));
    }
    throw last;
  }

  private static boolean awaitListening(Process p, int port) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
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

  /** Stops the program (SIGTERM, then SIGKILL after 5 s) and any child process it left (nginx's worker). */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
