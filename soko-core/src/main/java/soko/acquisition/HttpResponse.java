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

  /**
   * Where the response came from.
   *
   * @return the URL this response came from (after any redirects followed so far)
   */
  public URI uri() {
    return uri;
  }

  /**
   * The HTTP status.
   *
   * @return the status code, such as 200 or 404
   */
  public int status() {
    return status;
  }

  /**
   * For messages.
   *
   * @return the status and its reason phrase as the server sent them, e.g. {@code 404 Not Found}
   */
  public String statusText() {
    return reason.isEmpty() ? Integer.toString(status) : status + " " + reason;
  }

  /**
   * One header's first value.
   *
   * @param name the header's name, any case
   * @return its first value, stripped; empty when the header is absent
   */
  public Optional<String> header(String name) {
    List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
  }

  /**
   * Every value of a header.
   *
   * @param name the header's name, any case
   * @return its values in the order received; empty when absent
   */
  public List<String> headers(String name) {
    return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
  }

  /**
   * The announced body length.
   *
   * @return {@code Content-Length} in bytes when the body is framed by it; empty for chunked or
   *     connection-framed bodies
   */
  public OptionalLong contentLength() {
    return body instanceof HttpBodies.Fixed f ? OptionalLong.of(f.length()) : OptionalLong.empty();
  }

  /**
   * The body. Reading it to its end does not close the connection; {@link #close()} does.
   *
   * @return the body stream, framed as the headers say; confine it to one thread
   */
  public InputStream body() {
    return body;
  }

  /**
   * Reads a small body whole.
   *
   * @param max the most bytes accepted
   * @param what names the document in the error message, such as {@code "a token"}
   * @return the body, at most {@code max} bytes
   * @throws IOException if reading fails or the body is longer than {@code max}
   */
  public byte[] readAll(int max, String what) throws IOException {
    byte[] b = body.readNBytes(max + 1);
    if (b.length > max) {
      throw new IOException(uri + " sent more than " + max + " bytes for " + what);
    }
    return b;
  }

  /**
   * Reads the start of an error body, for a message. Never throws.
   *
   * @return the first kilobyte of the body on one line, in parentheses after a space; empty when
   *     there is none or it cannot be read
   */
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
