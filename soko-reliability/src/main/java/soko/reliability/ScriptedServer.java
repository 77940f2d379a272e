package soko.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A server on 127.0.0.1 that answers every connection with a {@link Script}: bytes written by
 * hand, so that it can send what no HTTP library sends on purpose (headers one byte a second, a
 * reply that is not HTTP, broken chunked framing, a gzip body to a client that asked for
 * identity, …). With an {@link SSLContext} it speaks TLS. {@link soko.testkit.http.FaultServer}
 * covers the faults that fit a well-formed HTTP exchange; this class covers the rest.
 *
 * <p>Thread-safe; {@link #close()} stops it and drops open connections.
 */
final class ScriptedServer implements AutoCloseable {
  /** What the server does with one connection, after reading the request head. */
  @FunctionalInterface
  interface Script {
    void answer(Request request, OutputStream out, Socket socket, int connection) throws IOException, InterruptedException;
  }

  /** A request head; header names in lower case. */
  record Request(String method, String target, Map<String, String> headers) {
    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  private final ServerSocket server;
  private final Script script;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final String scheme;
  private volatile boolean closed;

  private ScriptedServer(ServerSocket server, Script script, String scheme) {
    this.server = server;
    this.script = script;
    this.scheme = scheme;
    Thread.ofPlatform().daemon().name("scripted-server-" + server.getLocalPort()).start(this::acceptLoop);
  }

  static ScriptedServer start(Script script) throws IOException {
    return new ScriptedServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script, "http");
  }

  static ScriptedServer startTls(SSLContext tls, Script script) throws IOException {
    return new ScriptedServer(tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
        script, "https");
  }

  int port() {
    return server.getLocalPort();
  }

  URI uri(String path) {
    return URI.create(scheme + "://127.0.0.1:" + port() + path);
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        open.add(s);
        int n = connections.incrementAndGet();
        Thread.ofVirtual().start(() -> handle(s, n));
      } catch (IOException e) {
        if (!closed) {
          System.err.println("scripted server: accept failed: " + e);
        }
      }
    }
  }

  private void handle(Socket s, int n) {
    try (s) {
      Optional<Request> req = readRequest(s.getInputStream());
      if (req.isPresent()) {
        requests.add(req.get());
        script.answer(req.get(), s.getOutputStream(), s, n);
        s.getOutputStream().flush();
      }
    } catch (IOException | InterruptedException e) {
      // the client hung up, or the server is closing
    } finally {
      open.remove(s);
    }
  }

  private static Optional<Request> readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return Optional.empty();
      }
      head.write(b);
      if (head.size() > 64 * 1024) {
        throw new IOException("request head too large");
      }
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] start = lines[0].split(" ");
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    return Optional.of(new Request(start[0], start.length > 1 ? start[1] : "/", headers));
  }

  /** Writes {@code text} as ISO-8859-1 bytes. */
  static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
