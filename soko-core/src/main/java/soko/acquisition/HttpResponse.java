package soko.acquisition;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The answer to one {@link HttpRequest}: the status and headers, read in full, and the body,
 * framed by its {@code Content-Length}, by chunked transfer coding, or by the end of the
 * connection. Every response has a connection of its own: closing the response closes it (never
 * reused), which also ends a body nobody wants to read.
 *
 * <p>Not thread-safe, except {@link #close()}, which may be called from any thread to abort a read.
 */
public final class HttpResponse implements AutoCloseable {
  private final URI uri;
  private final int status;
  private final String reason;
  private final Map<String, List<String>> headers;
  private final InputStream body;
  private final Socket socket;

  HttpResponse(URI uri, int status, String reason, Map<String, List<String>> headers, InputStream body, Socket socket) {
    this.uri = uri;
    this.status = status;
    this.reason = reason;
    this.headers = headers;
    this.body = body;
    this.socket = socket;
  }

  /** The URL this response came from (after any redirects followed so far). */
  public URI uri() {
    return uri;
  }

  public int status() {
    return status;
  }

  /** The status and its reason phrase as the server sent them, e.g. {@code 404 Not Found}. */
  public String statusText() {
    return reason.isEmpty() ? Integer.toString(status) : status + " " + reason;
  }

  /** The first value of header {@code name} (any case), stripped. */
  public Optional<String> header(String name) {
    List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
  }

  /** Every value of header {@code name} (any case), in order. */
  public List<String> headers(String name) {
    return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
  }

  /** {@code Content-Length}, when the body is framed by it. */
  public OptionalLong contentLength() {
    return body instanceof HttpBodies.Fixed f ? OptionalLong.of(f.length()) : OptionalLong.empty();
  }

  /** The body. Reading it to its end does not close the connection; {@link #close()} does. */
  public InputStream body() {
    return body;
  }

  /** At most {@code max} bytes of the body, for small documents; more is an error. */
  public byte[] readAll(int max, String what) throws IOException {
    byte[] b = body.readNBytes(max + 1);
    if (b.length > max) {
      throw new IOException(uri + " sent more than " + max + " bytes for " + what);
    }
    return b;
  }

  /** The first kilobyte of the body on one line, for an error message; empty when there is none. */
  public String errorText() {
    try {
      String s = new String(body.readNBytes(1024), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
      return s.isEmpty() ? "" : " (" + s + ")";
    } catch (IOException e) {
      return "";
    }
  }

  /** Drops the connection. Idempotent; never throws. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closed anyway
    }
  }
}
