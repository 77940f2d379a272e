package soko.acquisition;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Reading an HTTP/1.1 response from a socket: a buffered reader for the head that hands large
 * body reads straight to the socket (a 1 MiB read is one read of the socket, not a copy through a
 * small buffer), and the three framings of a body (RFC 9112, 6.3).
 */
final class HttpBodies {
  private HttpBodies() {}

  /** The socket's stream with a small look-ahead buffer, which head parsing fills and body reads drain first. */
  static final class Wire extends InputStream {
    /** For {@link #line}: no deadline. */
    static final long NO_DEADLINE = Long.MAX_VALUE;
    private final java.net.Socket socket;
    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int end;
    private long deadline = NO_DEADLINE;
    private String reading = "";

    Wire(java.net.Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
    }

    /**
     * Until {@link #body}, every read must end by {@code deadlineNanos} ({@link System#nanoTime()}),
     * however slowly the bytes trickle in: each read waits at most for the time left.
     */
    void head(long deadlineNanos, String what) {
      this.deadline = deadlineNanos;
      this.reading = what;
    }

    /** From now on each read waits at most {@code idleMillis} for a byte. */
    void body(int idleMillis) throws IOException {
      deadline = NO_DEADLINE;
      socket.setSoTimeout(idleMillis);
    }

    @Override
    public int read() throws IOException {
      if (pos == end && !fill()) {
        return -1;
      }
      return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos < end) {
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
      }
      if (len >= buf.length) {
        return in.read(b, off, len);
      }
      if (!fill()) {
        return -1;
      }
      return read(b, off, len);
    }

    private boolean fill() throws IOException {
      if (deadline != NO_DEADLINE) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new SocketTimeoutException(reading + " was not complete in time");
        }
        socket.setSoTimeout(Math.clamp(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left), 1, Integer.MAX_VALUE));
      }
      int n;
      try {
        n = in.read(buf, 0, buf.length);
      } catch (SocketTimeoutException e) {
        if (deadline == NO_DEADLINE) {
          throw e;
        }
        throw new SocketTimeoutException(reading + " was not complete in time");
      }
      if (n <= 0) {
        return false;
      }
      pos = 0;
      end = n;
      return true;
    }

    /** The connection ended inside a line; {@code partial} is what came of it (ISO-8859-1). */
    static final class CutLine extends EOFException {
      private static final long serialVersionUID = 1L;
      final transient String partial;

      CutLine(String message, String partial) {
        super(message);
        this.partial = partial;
      }
    }

    /** One line ending in CRLF (or LF), without it, as ISO-8859-1; at most {@code max} bytes. */
    String line(int max, String what) throws IOException {
      StringBuilder sb = new StringBuilder();
      while (true) {
        int c = read();
        if (c < 0) {
          if (sb.isEmpty()) {
            throw new EOFException("the connection closed before " + what);
          }
          throw new CutLine("the connection closed in the middle of " + what, sb.toString());
        }
        if (c == '\n') {
          int n = sb.length();
          return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
        }
        if (sb.length() >= max) {
          throw new ProtocolException(what + " is longer than " + max + " bytes");
        }
        sb.append((char) c);
      }
    }
  }

  /** A body of exactly {@code length} bytes; an early end of the connection is an {@link EOFException}. */
  static final class Fixed extends InputStream {
    private final InputStream in;
    private final long length;
    private long left;

    Fixed(InputStream in, long length) {
      this.in = in;
      this.length = length;
      this.left = length;
    }

    long length() {
      return length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        // The server announced more than it sent: the caller sees a short body, not a silent end.
        return -1;
      }
      left -= n;
      return n;
    }
  }

  /** A chunked body (RFC 9112, 7.1): sizes in hex, extensions and trailers ignored. */
  static final class Chunked extends InputStream {
    private static final int MAX_LINE = 4096;
    private final Wire in;
    private long left;
    private boolean done;

    Chunked(Wire in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0 && !nextChunk()) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the connection closed in the middle of a chunk");
      }
      left -= n;
      if (left == 0) {
        crlf();
      }
      return n;
    }

    private boolean nextChunk() throws IOException {
      String line = in.line(MAX_LINE, "a chunk size");
      int semi = line.indexOf(';');
      String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
      if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new ProtocolException("a chunk size is not hexadecimal: \"" + printable(line) + "\"");
      }
      left = Long.parseLong(hex, 16);
      if (left == 0) {
        while (!in.line(MAX_LINE, "the trailer").isEmpty()) {
          // trailer fields: not used
        }
        done = true;
        return false;
      }
      return true;
    }

    private void crlf() throws IOException {
      if (!in.line(2, "the end of a chunk").isEmpty()) {
        throw new ProtocolException("a chunk is longer than its size says");
      }
    }
  }

  /** A head's text made safe for a one-line message: control characters shown as '?', at most 60 characters. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 60; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f || c > 0x7e ? '?' : c);
    }
    return sb.toString();
  }

  /** Bytes as a printable prefix, for the first bytes of a reply that is not HTTP. */
  static String printable(byte[] b, int n) {
    return printable(new String(b, 0, n, StandardCharsets.ISO_8859_1));
  }
}
