package soko.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so a test can send what a browser never would: any Host, any
 * Origin, broken bodies.
 */
final class RawHttp {
  record Response(int status, Map<String, String> headers, String body) {}

  private RawHttp() {}

  /**
   * The key sent in the {@code X-Soko-Key} header of every request unless a test gives its own
   * (as the page's script sends it); null for none.
   */
  static volatile String key;

  /** Sends one request; {@code headers} may override Host and X-Soko-Key. */
  static Response send(int port, String method, String path, Map<String, String> headers, byte[] body) throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", "127.0.0.1:" + port);
    if (key != null) {
      h.put("X-Soko-Key", key);
    }
    h.putAll(headers);
    h.put("Connection", "close");
    if (body.length > 0 || method.equals("POST")) {
      h.putIfAbsent("Content-Length", String.valueOf(body.length));
    }
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    h.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      InputStream in = s.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, end).split("\r\n");
      Map<String, String> rh = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        rh.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
      }
      return new Response(Integer.parseInt(lines[0].split(" ")[1]), rh, text.substring(end + 4));
    }
  }

  static Response post(int port, String path, Map<String, String> headers, String json) throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    h.putAll(headers);
    return send(port, "POST", path, h, json.getBytes(StandardCharsets.UTF_8));
  }
}
