package soko.testkit.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A distribution token server on 127.0.0.1: {@code GET /token?service=&scope=…} answers
 * {@code {"token","access_token","expires_in","issued_at"}} with an ES256 JWT carrying an
 * {@code x5c} header, signed by a key made with the JDK's {@code keytool} at start. Known users
 * (Basic auth) get every action they ask for; anonymous callers get {@code pull} only; a wrong
 * password gets 401. The registry trusts {@link #certificateBundle()}.
 */
public final class TokenServer implements AutoCloseable {
  public static final String SERVICE = "soko-registry";
  public static final String ISSUER = "soko-token-issuer";
  private static final String STOREPASS = "soko-test";

  /** One token request as received. */
  public record Request(String account, List<String> scopes, boolean authenticated) {}

  private final HttpServer server;
  private final Map<String, String> users;
  private final Duration lifetime;
  private final PrivateKey key;
  private final X509Certificate cert;
  private final Path bundle;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private TokenServer(Path dir, Map<String, String> users, Duration lifetime) throws IOException {
    this.users = Map.copyOf(users);
    this.lifetime = lifetime;
    Files.createDirectories(dir);
    Path store = dir.resolve("token.p12");
    Files.deleteIfExists(store);
    run(List.of(keytool(), "-genkeypair", "-alias", "token", "-keyalg", "EC", "-groupname", "secp256r1",
        "-sigalg", "SHA256withECDSA", "-dname", "CN=soko-token-issuer", "-validity", "3", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", STOREPASS, "-keypass", STOREPASS));
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, STOREPASS.toCharArray());
      key = (PrivateKey) ks.getKey("token", STOREPASS.toCharArray());
      cert = (X509Certificate) ks.getCertificate("token");
      bundle = dir.resolve("token.crt");
      String pem = "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
      Files.writeString(bundle, pem);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot load the key made by keytool", e);
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::handle);
    server.start();
  }

  /**
   * Starts a token server.
   *
   * @param users user name to password
   * @param lifetime the {@code expires_in} of every token
   */
  public static TokenServer start(Path dir, Map<String, String> users, Duration lifetime) throws IOException {
    return new TokenServer(dir, users, lifetime);
  }

  /** The token realm, such as {@code http://127.0.0.1:41234/token}. */
  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  public Path certificateBundle() {
    return bundle;
  }

  /** Every token request so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private static String keytool() {
    return ProcessHandle.current().info().command()
        .map(java -> Path.of(java).resolveSibling("keytool"))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .orElse("keytool");
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command.subList(0, 2)) + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String service = "";
      List<String> scopes = new ArrayList<>();
      String query = ex.getRequestURI().getRawQuery();
      if (query != null) {
        for (String pair : query.split("&")) {
          int eq = pair.indexOf('=');
          String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
          String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          if (k.equals("service")) {
            service = v;
          } else if (k.equals("scope")) {
            scopes.add(v);
          }
        }
      }
      String account = "";
      boolean authenticated = false;
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth != null && auth.startsWith("Basic ")) {
        String pair = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        String user = colon < 0 ? pair : pair.substring(0, colon);
        String pass = colon < 0 ? "" : pair.substring(colon + 1);
        if (!pass.equals(users.get(user))) {
          requests.add(new Request(user, scopes, false));
          reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"invalid username/password\"}]}");
          return;
        }
        account = user;
        authenticated = true;
      }
      requests.add(new Request(account, scopes, authenticated));
      StringBuilder access = new StringBuilder();
      for (String scope : scopes) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first < 0 || last <= first) {
          continue;
        }
        List<String> actions = new ArrayList<>();
        for (String a : scope.substring(last + 1).split(",")) {
          if (authenticated || a.equals("pull")) {
            actions.add("\"" + a + "\"");
          }
        }
        if (!access.isEmpty()) {
          access.append(',');
        }
        access.append("{\"type\":\"").append(scope, 0, first).append("\",\"name\":\"").append(scope, first + 1, last)
            .append("\",\"actions\":[").append(String.join(",", actions)).append("]}");
      }
      Instant now = Instant.now();
      long iat = now.getEpochSecond();
      String header = "{\"typ\":\"JWT\",\"alg\":\"ES256\",\"x5c\":[\"" + Base64.getEncoder().encodeToString(cert.getEncoded()) + "\"]}";
      String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + account + "\",\"aud\":\"" + service + "\",\"exp\":"
          + (iat + lifetime.toSeconds()) + ",\"nbf\":" + (iat - 5) + ",\"iat\":" + iat + ",\"jti\":\"" + UUID.randomUUID()
          + "\",\"access\":[" + access + "]}";
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
          + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
      Signature sig = Signature.getInstance("SHA256withECDSAinP1363Format");
      sig.initSign(key);
      sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      String jwt = signingInput + "." + b64.encodeToString(sig.sign());
      reply(ex, 200, "{\"token\":\"" + jwt + "\",\"access_token\":\"" + jwt + "\",\"expires_in\":" + lifetime.toSeconds()
          + ",\"issued_at\":\"" + now + "\"}");
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("signing failed", e);
    }
  }

  private static void reply(HttpExchange ex, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
