package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soko serve} answers a request with a 1 MiB header with 431, where the JDK's HTTP server on
 * its own resets the connection (beyond 380 KiB in JDK 25). Runs {@code soko serve} as a child
 * process, as the launcher does: the limit is raised for that process only.
 */
class ServeHeaderLimitTest {
  @TempDir
  Path dir;

  @Test
  void aOneMebibyteHeaderGets431() throws Exception {
    Process serve = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--home", dir.resolve("home").toString(), "serve", "--port", "0"))
        .redirectError(dir.resolve("serve.err").toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertThat(first).startsWith("Soko Diagnostics: http://127.0.0.1:");
      URI uri = URI.create(first.substring("Soko Diagnostics: ".length()));
      String key = uri.getQuery().substring("key=".length());

      String status;
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
        OutputStream o = s.getOutputStream();
        o.write(("GET /api/diagnostics HTTP/1.1\r\nHost: 127.0.0.1:" + uri.getPort() + "\r\nX-Soko-Key: " + key
            + "\r\nX-Filler: " + "a".repeat(1 << 20) + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        o.flush();
        InputStream in = s.getInputStream();
        status = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
      }

      assertThat(status).startsWith("HTTP/1.1 431"); // the JDK's server knows no reason phrase for 431
    } finally {
      serve.destroy();
      serve.waitFor();
    }
  }
}
