package soko.web;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import soko.app.Soko;

/**
 * The Diagnostics page and its API ({@code soko serve}) on the JDK's HTTP server.
 *
 * <pre>{@code
 * try (WebServer web = WebServer.start(soko, "127.0.0.1", 0)) {
 *   System.out.println(web.uri());
 *   web.awaitClose();
 * }
 * }</pre>
 *
 * <p>Binds to the given address only (loopback unless asked otherwise). Each run has its own
 * secret key, which the printed URL carries and every request needs (so that another user of the
 * computer cannot load the page), and a token, embedded in the served page and required on every
 * action; requests from other origins or with a foreign Host are refused. See the README's "Diagnostics page" for the API.
 *
 * <p>Thread-safe: requests are served on virtual threads; {@link #close()} may be called from any
 * thread, and more than once.
 */
public final class WebServer implements AutoCloseable {
  /** The address {@code soko serve} binds to unless another is asked for. */
  public static final String LOOPBACK = "127.0.0.1";

  private final HttpServer server;
  private final ExecutorService executor;
  private final EventHub hub;
  private final Installs installs;
  private final URI uri;
  private final Guard guard;
  private final CountDownLatch closed = new CountDownLatch(1);

  private WebServer(HttpServer server, ExecutorService executor, EventHub hub, Installs installs, URI uri, Guard guard) {
    this.server = server;
    this.executor = executor;
    this.hub = hub;
    this.installs = installs;
    this.uri = uri;
    this.guard = guard;
  }

  /**
   * Starts serving on {@code host} (an address or name; {@value #LOOPBACK} is the safe default)
   * and {@code port} (0 picks a free port).
   *
   * @param soko the Soko instance whose store and catalogs the page shows; shared with the caller
   * @param host the address or host name to bind to
   * @param port the TCP port, {@code 0..65535}; 0 picks a free one
   * @return the running server; close it to stop
   * @throws IOException if {@code host} cannot be resolved or the port cannot be bound (such as one
   *     already in use)
   * @throws IllegalArgumentException if {@code port} is out of range
   */
  public static WebServer start(Soko soko, String host, int port) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0..65535");
    }
    InetAddress address = InetAddress.getByName(host);
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 64);
    InetSocketAddress bound = server.getAddress();
    boolean named = !host.isBlank() && !host.equals(address.getHostAddress());
    Guard guard = Guard.forAddress(bound, named ? host : "");
    EventHub hub = new EventHub();
    Installs installs = new Installs(hub);
    Router router = new Router(soko, guard, hub, installs, Installable.catalogOnly(soko));
    server.createContext("/", router);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.start();
    String shown = address.isAnyLocalAddress() ? LOOPBACK : (named ? host : address.getHostAddress());
    if (shown.contains(":") && !shown.startsWith("[")) {
      shown = "[" + shown + "]";
    }
    URI uri = URI.create("http://" + shown + ":" + bound.getPort() + "/?key=" + guard.token());
    return new WebServer(server, executor, hub, installs, uri, guard);
  }

  /**
   * Where the page is.
   *
   * @return the page's address with its key, e.g. {@code http://127.0.0.1:43127/?key=…}
   */
  public URI uri() {
    return uri;
  }

  /**
   * The port bound.
   *
   * @return the TCP port, the one picked when 0 was asked for
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /** This run's action token; the page gets it inside the served HTML. */
  String token() {
    return guard.token();
  }

  /**
   * Blocks until {@link #close()} is called.
   *
   * @throws InterruptedException if the waiting thread is interrupted first; the server keeps
   *     running
   */
  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  /**
   * Stops serving: running installs are cancelled (their partial downloads are kept), open event
   * streams end with a {@code stopped} event, running requests get a second to finish.
   */
  @Override
  public void close() {
    installs.cancelAll();
    hub.close();
    server.stop(1);
    executor.shutdownNow();
    closed.countDown();
  }
}
