package soko.testkit.nginx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority made at test time with the {@code openssl} command: its
 * certificate ({@link #caCertificate()}, PEM) and a server certificate it signed for 127.0.0.1
 * and localhost ({@link #server()}), for {@link Nginx#start(Path, Optional)}. Nothing here is
 * trusted by the JDK or the system.
 */
public record PrivateCa(Path caCertificate, Nginx.Tls server) {
  public static final Path OPENSSL = Path.of("/usr/bin/openssl");

  /** Why openssl cannot run here, or empty when it can. */
  public static Optional<String> unavailableReason() {
    return Files.isExecutable(OPENSSL) ? Optional.empty()
        : Optional.of(OPENSSL + " is not installed; install the Debian package openssl");
  }

  /** Makes the CA and the server certificate in {@code dir}. */
  public static PrivateCa create(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path ext = dir.resolve("server.ext");
    Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
        + "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
    run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Soko Test Private CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    run(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1");
    run(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
    return new PrivateCa(dir.resolve("ca.pem"), new Nginx.Tls(dir.resolve("server.pem"), dir.resolve("server.key")));
  }

  private static void run(Path dir, String... args) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of(OPENSSL.toString()));
    cmd.addAll(List.of(args));
    Path out = dir.resolve("openssl.log");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("openssl " + String.join(" ", args) + " failed: " + Files.readString(out, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running openssl", e);
    }
  }
}
