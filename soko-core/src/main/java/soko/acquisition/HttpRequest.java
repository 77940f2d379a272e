package soko.acquisition;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One HTTP/1.1 request for the {@link Connector}: a method, an absolute http(s) URL, headers and a
 * body that can be sent again (a redirect that keeps the method re-sends it). Immutable and
 * thread-safe (a {@link Body.Bytes} body's array is not copied: do not change it after use).
 *
 * @param method the method, 1 to 16 upper-case letters, such as {@code GET}
 * @param uri the absolute {@code http:} or {@code https:} URL
 * @param headers the caller's headers, name to value, looked up ignoring case; never one the
 *     connector sets itself ({@code Host}, {@code Content-Length}, {@code User-Agent}, …)
 * @param body what is sent after the head; {@link Body#NONE} for none
 *
 * @param bodyIdleTimeout the longest a read of the response body may wait for a byte, when the
 *     caller watches the body itself (the downloader's stall watchdog); empty for the connector's
 *     response timeout
 */
public record HttpRequest(String method, URI uri, Map<String, String> headers, Body body,
    Optional<Duration> bodyIdleTimeout) {
  /** Headers the connector writes itself; a caller cannot set them. */
  private static final Set<String> RESERVED = Set.of("host", "content-length", "connection", "transfer-encoding",
      "user-agent", "te", "upgrade", "expect", "keep-alive", "trailer");

  /**
   * Checks the method and headers, and copies the headers.
   *
   * @throws IllegalArgumentException if the method is not 1 to 16 upper-case letters, or a header is
   *     one the connector sets, or has characters HTTP does not allow
   */
  public HttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(bodyIdleTimeout, "bodyIdleTimeout");
    if (!method.matches("[A-Z]{1,16}")) {
      throw new IllegalArgumentException("method " + method + " is not an HTTP method");
    }
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> {
      if (RESERVED.contains(k.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("the connector sets " + k + " itself");
      }
      if (!k.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+") || v.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
        throw new IllegalArgumentException("header " + k + " has characters HTTP does not allow");
      }
      h.put(k, v);
    });
    headers = Collections.unmodifiableMap(h);
  }


  /**
   * A GET of {@code uri} with no headers of its own.
   *
   * @param uri the absolute http(s) URL
   * @return the request
   */
  public static HttpRequest get(URI uri) {
    return new HttpRequest("GET", uri, Map.of(), Body.NONE, Optional.empty());
  }

  /**
   * This request with one more header (or a header replaced).
   *
   * @param name the header's name, any case
   * @param value its value, with no control characters but tab
   * @return a new request
   * @throws IllegalArgumentException if the header is one the connector sets or is not valid HTTP
   */
  public HttpRequest with(String name, String value) {
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    h.put(name, value);
    return new HttpRequest(method, uri, h, body, bodyIdleTimeout);
  }

  /**
   * This request without a header.
   *
   * @param name the header's name, any case
   * @return a new request (equal to this one when it had no such header)
   */
  public HttpRequest without(String name) {
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    h.remove(name);
    return new HttpRequest(method, uri, h, body, bodyIdleTimeout);
  }

  /** This request sent to another URL with another method and body (for a redirect). */
  HttpRequest redirected(String newMethod, URI newUri, Body newBody) {
    return new HttpRequest(newMethod, newUri, headers, newBody, bodyIdleTimeout);
  }

  /**
   * This request with a body idle timeout.
   *
   * @param timeout the longest a read of the response body may wait for a byte
   * @return a new request
   */
  public HttpRequest withBodyIdleTimeout(Duration timeout) {
    return new HttpRequest(method, uri, headers, body, Optional.of(timeout));
  }

  /** What a request sends after its head; each can be sent any number of times. Immutable. */
  public sealed interface Body {
    /** No body. */
    Body NONE = new Bytes(new byte[0], 0, 0);

    /**
     * How much is sent.
     *
     * @return the body's length in bytes, sent as {@code Content-Length}
     */
    long length();

    /**
     * {@code count} bytes of {@code bytes} from {@code offset}. The array is not copied.
     *
     * @param bytes the array holding the body
     * @param offset where the body starts in it
     * @param count the body's length in bytes
     */
    record Bytes(byte[] bytes, int offset, int count) implements Body {
      /**
       * Checks the range.
       *
       * @throws IndexOutOfBoundsException if the range is outside the array
       */
      public Bytes {
        Objects.checkFromIndexSize(offset, count, bytes.length);
      }

      /**
       * The whole array as a body.
       *
       * @param bytes the body; not copied
       * @return the body
       */
      public static Bytes of(byte[] bytes) {
        return new Bytes(bytes, 0, bytes.length);
      }

      @Override
      public long length() {
        return count;
      }
    }

    /**
     * {@code length} bytes of a file from {@code offset}, read when sent.
     *
     * @param file the file
     * @param offset where the slice starts, in bytes, {@code >= 0}
     * @param length the slice's length in bytes, {@code >= 0}
     */
    record FileSlice(Path file, long offset, long length) implements Body {
      /**
       * Checks the slice.
       *
       * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
       */
      public FileSlice {
        Objects.requireNonNull(file, "file");
        if (offset < 0 || length < 0) {
          throw new IllegalArgumentException("offset or length < 0");
        }
      }
    }
  }
}
