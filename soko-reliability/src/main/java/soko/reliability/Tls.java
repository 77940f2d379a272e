package soko.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1, made with the JDK's keytool, for the corpus's https
 * servers, and a trust store holding it that the {@code soko} child JVM is given (the standard
 * {@code javax.net.ssl.trustStore} properties), so that https works end to end on loopback.
 */
record Tls(SSLContext server, List<String> clientJvmOptions) {
  private static final String PASSWORD = "reliability";

  static Tls create(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
    Files.createDirectories(dir);
    Path keystore = dir.resolve("server.p12");
    Path cert = dir.resolve("server.cer");
    Path trust = dir.resolve("trust.p12");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "3", "-keystore", keystore.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-alias", "server", "-keystore", keystore.toString(), "-storepass", PASSWORD,
        "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(), "-keystore", trust.toString(),
        "-storetype", "PKCS12", "-storepass", PASSWORD);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return new Tls(ctx, List.of("-Djavax.net.ssl.trustStore=" + trust, "-Djavax.net.ssl.trustStorePassword=" + PASSWORD,
        "-Djavax.net.ssl.trustStoreType=PKCS12"));
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> cmd = new java.util.ArrayList<>(List.of(keytool.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + out);
    }
  }
}
