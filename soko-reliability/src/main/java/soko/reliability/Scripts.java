package soko.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.zip.GZIPOutputStream;

/**
 * The hand-written server behaviours of the corpus ({@code raw:NAME} and {@code tls:NAME} rows),
 * each serving {@code body} at any path, misbehaving as its name says.
 */
final class Scripts {
  private Scripts() {}

  /**
   * The script called {@code name}; {@code other} is a second, well-behaved server's URL for
   * the file (redirect targets).
   */
  static ScriptedServer.Script named(String name, byte[] body, URI other) {
    return switch (name) {
      case "ok" -> (req, out, s, n) -> ok(out, body);
      // The status line and headers one byte a second, then the body at full speed.
      case "headers-one-byte-per-second" -> (req, out, s, n) -> {
        byte[] head = head(200, "OK", "Content-Length: " + body.length + "\r\n");
        for (byte b : head) {
          out.write(b);
          out.flush();
          Thread.sleep(1000);
        }
        out.write(body);
      };
      // Right headers, then the body one byte a second: never stalls, never ends in reasonable time.
      case "body-one-byte-per-second" -> (req, out, s, n) -> {
        out.write(head(200, "OK", "Content-Length: " + body.length + "\r\n"));
        for (byte b : body) {
          out.write(b);
          out.flush();
          Thread.sleep(1000);
        }
      };
      // Another protocol's greeting on the port: no HTTP at all.
      case "not-http" -> (req, out, s, n) -> ScriptedServer.write(out, "SSH-2.0-OpenSSH_9.6p1 Debian-4\r\n");
      // Garbage bytes instead of a status line.
      case "binary-garbage" -> (req, out, s, n) -> out.write(new byte[] {0, 1, 2, 3, (byte) 0xff, 0x1b, '[', '2', 'J'});
      // A status line whose reason phrase carries terminal escapes.
      case "escape-in-reason" -> (req, out, s, n) -> ScriptedServer.write(out,
          "HTTP/1.1 500 \u001b[2J\u001b[1A\rinstalled fine\u0007\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      // One header of 1 MiB.
      case "huge-header" -> (req, out, s, n) -> {
        ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nX-Filler: ");
        byte[] filler = new byte[1 << 20];
        java.util.Arrays.fill(filler, (byte) 'a');
        out.write(filler);
        ScriptedServer.write(out, "\r\nConnection: close\r\n\r\n");
        out.write(body);
      };
      // 100 000 small headers.
      case "many-headers" -> (req, out, s, n) -> {
        StringBuilder b = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n");
        for (int i = 0; i < 100_000; i++) {
          b.append("X-H").append(i).append(": v\r\n");
        }
        ScriptedServer.write(out, b + "Connection: close\r\n\r\n");
        out.write(body);
      };
      // The client asked for identity; the server gzips anyway, with the compressed length.
      case "gzip-body" -> (req, out, s, n) -> {
        byte[] gz = gzip(body);
        out.write(head(200, "OK", "Content-Encoding: gzip\r\nContent-Length: " + gz.length + "\r\n"));
        out.write(gz);
      };
      // Correct chunked transfer coding, no Content-Length.
      case "chunked" -> (req, out, s, n) -> {
        out.write(head(200, "OK", "Transfer-Encoding: chunked\r\n"));
        for (int off = 0; off < body.length; off += 100_000) {
          int len = Math.min(100_000, body.length - off);
          ScriptedServer.write(out, Integer.toHexString(len) + "\r\n");
          out.write(body, off, len);
          ScriptedServer.write(out, "\r\n");
        }
        ScriptedServer.write(out, "0\r\n\r\n");
      };
      // A chunk-size line that is not hexadecimal, after the first chunk.
      case "chunked-bad-size" -> (req, out, s, n) -> {
        out.write(head(200, "OK", "Transfer-Encoding: chunked\r\n"));
        ScriptedServer.write(out, Integer.toHexString(100_000) + "\r\n");
        out.write(body, 0, 100_000);
        ScriptedServer.write(out, "\r\nzz\r\n");
      };
      // A chunk that claims more bytes than follow, then the connection closes.
      case "chunked-cut" -> (req, out, s, n) -> {
        out.write(head(200, "OK", "Transfer-Encoding: chunked\r\n"));
        ScriptedServer.write(out, Integer.toHexString(body.length) + "\r\n");
        out.write(body, 0, body.length / 2);
      };
      // HTTP/1.0 with no Content-Length: the body ends when the connection closes (legal).
      case "http10-close-delimited" -> (req, out, s, n) -> {
        ScriptedServer.write(out, "HTTP/1.0 200 OK\r\n\r\n");
        out.write(body);
      };
      // The connection closes right after the request: no status line at all.
      case "empty-reply" -> (req, out, s, n) -> { };
      // An interim 100 Continue before the real answer.
      case "interim-100" -> (req, out, s, n) -> {
        ScriptedServer.write(out, "HTTP/1.1 100 Continue\r\n\r\n");
        ok(out, body);
      };
      // 206 with a Content-Range that is not the file's, to a request with no Range.
      case "206-wrong-range" -> (req, out, s, n) -> {
        out.write(head(206, "Partial Content", "Content-Range: bytes 0-99/" + body.length + "\r\nContent-Length: 100\r\n"));
        out.write(body, 0, 100);
      };
      // 200 announcing an empty body.
      case "empty-200" -> (req, out, s, n) -> out.write(head(200, "OK", "Content-Length: 0\r\n"));
      // A status code that is not a number.
      case "bad-status-code" -> (req, out, s, n) -> {
        ScriptedServer.write(out, "HTTP/1.1 2x0 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n");
        out.write(body);
      };
      // A Content-Length that is not a number.
      case "bad-content-length" -> (req, out, s, n) -> {
        out.write(head(200, "OK", "Content-Length: lots\r\n"));
        out.write(body);
      };
      // The right file, then the server keeps the connection open and silent after the last byte.
      case "silent-after-body" -> (req, out, s, n) -> {
        out.write(head(200, "OK", "Content-Length: " + body.length + "\r\n"));
        out.write(body);
        out.flush();
        Thread.sleep(60_000);
      };
      // A redirect to the other server, from https down to plain http.
      case "redirect-to-http" -> (req, out, s, n) -> out.write(head(302, "Found", "Location: " + other + "\r\nContent-Length: 0\r\n"));
      // First connection: the whole length announced, 400 000 bytes sent, closed. Then a 206 for the
      // right start whose total is not the file's size. Then the file.
      case "resume-wrong-total" -> (req, out, s, n) -> {
        if (n == 1) {
          out.write(head(200, "OK", "ETag: \"v1\"\r\nAccept-Ranges: bytes\r\nContent-Length: " + body.length + "\r\n"));
          out.write(body, 0, 400_000);
        } else if (n == 2 && req.header("range").isPresent()) {
          int from = Integer.parseInt(req.header("range").get().replaceAll("\\D*(\\d+)-.*", "$1"));
          out.write(head(206, "Partial Content", "ETag: \"v1\"\r\nContent-Range: bytes " + from + "-" + (body.length - 1)
              + "/9999999\r\nContent-Length: " + (body.length - from) + "\r\n"));
          out.write(body, from, body.length - from);
        } else {
          ok(out, body);
        }
      };
      // First connection cut at 400 000 bytes; the resume is answered 206 from byte 0 instead.
      case "resume-206-from-zero" -> (req, out, s, n) -> {
        if (n == 1) {
          out.write(head(200, "OK", "ETag: \"v1\"\r\nAccept-Ranges: bytes\r\nContent-Length: " + body.length + "\r\n"));
          out.write(body, 0, 400_000);
        } else if (req.header("range").isPresent()) {
          out.write(head(206, "Partial Content", "ETag: \"v1\"\r\nContent-Range: bytes 0-" + (body.length - 1) + "/"
              + body.length + "\r\nContent-Length: " + body.length + "\r\n"));
          out.write(body);
        } else {
          ok(out, body);
        }
      };
      // A hotel network's login page, answered 200 for any URL.
      case "captive-portal" -> (req, out, s, n) -> {
        byte[] page = "<html><body>Please log in to use the Wi-Fi</body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(head(200, "OK", "Content-Type: text/html\r\nContent-Length: " + page.length + "\r\n"));
        out.write(page);
      };
      // Headers after five quiet seconds, then the file: slow, but well within any timeout.
      case "headers-after-5s" -> (req, out, s, n) -> {
        Thread.sleep(5_000);
        ok(out, body);
      };
      // A weak ETag only: a cut download cannot be resumed safely, so it starts over.
      case "weak-etag-cut-once" -> (req, out, s, n) -> {
        out.write(head(200, "OK", "ETag: W/\"v1\"\r\nAccept-Ranges: bytes\r\nContent-Length: " + body.length + "\r\n"));
        out.write(body, 0, n == 1 ? 400_000 : body.length);
      };
      // A 206 whose Content-Range numbers do not fit in 64 bits, to a request without Range.
      case "206-huge-content-range" -> (req, out, s, n) -> {
        out.write(head(206, "Partial Content", "Content-Range: bytes 0-99999999999999999999999/99999999999999999999999"
            + "\r\nContent-Length: " + body.length + "\r\n"));
        out.write(body);
      };
      // First connection cut at 400 000 bytes; the resume is answered 206 with numbers that do not fit in 64 bits.
      case "resume-huge-content-range" -> (req, out, s, n) -> {
        if (n == 1) {
          out.write(head(200, "OK", "ETag: \"v1\"\r\nAccept-Ranges: bytes\r\nContent-Length: " + body.length + "\r\n"));
          out.write(body, 0, 400_000);
        } else if (req.header("range").isPresent()) {
          out.write(head(206, "Partial Content", "ETag: \"v1\"\r\nContent-Range: bytes 400000-99999999999999999999999/"
              + "99999999999999999999999\r\nContent-Length: " + (body.length - 400_000) + "\r\n"));
          out.write(body, 400_000, body.length - 400_000);
        } else {
          ok(out, body);
        }
      };
      default -> throw new IllegalArgumentException("no script named " + name);
    };
  }

  private static void ok(OutputStream out, byte[] body) throws IOException {
    out.write(head(200, "OK", "Content-Length: " + body.length + "\r\n"));
    out.write(body);
  }

  static byte[] head(int status, String reason, String headers) {
    return ("HTTP/1.1 " + status + " " + reason + "\r\n" + headers + "Connection: close\r\n\r\n")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
      gz.write(body);
    }
    return b.toByteArray();
  }
}
