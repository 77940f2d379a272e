package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one HTTP client, against servers on loopback: TLS with a certificate the test makes (and the
 * host name checked), the three framings of a body, informational answers, HEAD, and HTTP proxies
 * in both forms (a plain request for http, a CONNECT tunnel for https).
 */
class ConnectorTest {
  @TempDir static Path dir;
  /** Keystores by SAN: keytool takes seconds on a busy machine, so each is made once. */
  static final Map<String, KeyStore> KEYSTORES = new java.util.concurrent.ConcurrentHashMap<>();
  final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** A server that answers every connection with {@code reply} (raw bytes), then closes it. */
  int raw(String reply) throws IOException {
    return raw(reply, Duration.ZERO);
  }

  /** A server that answers every connection with {@code reply}, then holds it open for {@code hold}. */
  int raw(String reply, Duration hold) throws IOException {
    ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    open.add(ss);
    Thread.ofVirtual().start(() -> {
      while (!ss.isClosed()) {
        try (Socket s = ss.accept()) {
          readHead(s.getInputStream());
          s.getOutputStream().write(reply.getBytes(StandardCharsets.ISO_8859_1));
          s.getOutputStream().flush();
          Thread.sleep(hold);
        } catch (IOException | InterruptedException e) {
          return;
        }
      }
    });
    return ss.getLocalPort();
  }

  static String readHead(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      sb.append((char) c);
    }
    return sb.toString();
  }

  byte[] get(Connector c, URI uri) throws IOException {
    try (HttpResponse r = c.send(HttpRequest.get(uri))) {
      return r.body().readAllBytes();
    }
  }

  @Test
  void aChunkedBodyIsDecodedWithItsExtensionsAndTrailerLeftOut() throws Exception {
    int port = raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;name=x\r\nhello\r\n7\r\n, world\r\n0\r\nDigest: ignored\r\n\r\n");

    assertThat(new String(get(new Connector(HttpSettings.DEFAULTS), URI.create("http://127.0.0.1:" + port + "/")),
        StandardCharsets.UTF_8)).isEqualTo("hello, world");
  }

  @Test
  void aBodyWithoutLengthEndsWithTheConnectionAndInformationalAnswersAreSkipped() throws Exception {
    int port = raw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
        + "HTTP/1.0 200 OK\r\n\r\nuntil the end");

    try (HttpResponse r = new Connector(HttpSettings.DEFAULTS).send(HttpRequest.get(URI.create("http://127.0.0.1:" + port + "/")))) {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.contentLength()).isEmpty();
      assertThat(new String(r.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("until the end");
    }
  }

  @Test
  void aHeadAnswerHasNoBodyWhateverItsLength() throws Exception {
    int port = raw("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");

    try (HttpResponse r = new Connector(HttpSettings.DEFAULTS).send(new HttpRequest("HEAD",
        URI.create("http://127.0.0.1:" + port + "/"), Map.of(), HttpRequest.Body.NONE, Optional.empty()))) {
      assertThat(r.body().readAllBytes()).isEmpty();
    }
  }

  @Test
  void twoDifferentContentLengthsAreRefused() throws Exception {
    int port = raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");

    assertThatThrownBy(() -> get(new Connector(HttpSettings.DEFAULTS), URI.create("http://127.0.0.1:" + port + "/")))
        .isInstanceOf(java.net.ProtocolException.class).hasMessageContaining("is not one number");
  }

  @Test
  void aResponseHeadThatNeverEndsFailsAtItsDeadline() throws Exception {
    int port = raw("HTTP/1.1 200 OK\r\nX-Slow: ", Duration.ofSeconds(10)); // and then nothing
    Connector c = new Connector(HttpSettings.DEFAULTS.withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)));

    assertThatThrownBy(() -> get(c, URI.create("http://127.0.0.1:" + port + "/")))
        .isInstanceOf(java.net.SocketTimeoutException.class)
        .hasMessage("the response head from 127.0.0.1 was not complete in time");
  }

  // ------------------------------------------------------------------ TLS

  /** A keystore with a self-signed certificate for {@code san} (e.g. {@code ip:127.0.0.1}), made by keytool. */
  static synchronized KeyStore keystore(String san) throws Exception {
    KeyStore made = KEYSTORES.get(san);
    if (made != null) {
      return made;
    }
    Path ks = dir.resolve("tls-" + san.replaceAll("[^a-z0-9]", "") + ".p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=soko test",
        "-ext", "SAN=" + san, "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    KeyStore k = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(ks)) {
      k.load(in, "changeit".toCharArray());
    }
    KEYSTORES.put(san, k);
    return k;
  }

  /** An https server on loopback whose certificate names {@code san}; serves {@code body} at /m.bin. */
  int https(KeyStore ks, byte[] body) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(server));
    s.createContext("/m.bin", ex -> {
      ex.getResponseHeaders().set("X-Agent", String.valueOf(ex.getRequestHeaders().getFirst("User-Agent")));
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    });
    s.start();
    open.add(() -> s.stop(0));
    return s.getAddress().getPort();
  }

  /** An SSLContext that trusts exactly the certificate in {@code ks}. */
  static SSLContext trusting(KeyStore ks) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", ks.getCertificate("server"));
    tmf.init(trust);
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(null, tmf.getTrustManagers(), null);
    return c;
  }

  @Test
  void httpsWithATrustedCertificateForTheHostWorksAndCarriesTheUserAgent() throws Exception {
    KeyStore ks = keystore("ip:127.0.0.1");
    byte[] body = "over TLS".getBytes(StandardCharsets.UTF_8);
    int port = https(ks, body);
    Connector c = new Connector(HttpSettings.DEFAULTS.withTls(trusting(ks)));

    try (HttpResponse r = c.send(HttpRequest.get(URI.create("https://127.0.0.1:" + port + "/m.bin")))) {
      assertThat(r.body().readAllBytes()).isEqualTo(body);
      assertThat(r.header("X-Agent")).contains(HttpSettings.DEFAULT_USER_AGENT);
    }
  }

  @Test
  void aCertificateForAnotherHostIsRefusedEvenWhenTrusted() throws Exception {
    KeyStore ks = keystore("dns:models.example.org");
    int port = https(ks, new byte[1]);
    Connector c = new Connector(HttpSettings.DEFAULTS.withTls(trusting(ks)));

    assertThatThrownBy(() -> get(c, URI.create("https://127.0.0.1:" + port + "/m.bin")))
        .isInstanceOf(SSLHandshakeException.class)
        .satisfies(e -> assertThat(Trust.advice(e, "127.0.0.1")).contains("the TLS certificate of 127.0.0.1 is for"
            + " another host name; use the name the certificate was made for"));
  }

  @Test
  void anUntrustedCertificateIsRefused() throws Exception {
    int port = https(keystore("ip:127.0.0.1"), new byte[1]);

    assertThatThrownBy(() -> get(new Connector(HttpSettings.DEFAULTS), URI.create("https://127.0.0.1:" + port + "/m.bin")))
        .isInstanceOf(SSLHandshakeException.class);
  }

  // ------------------------------------------------------------------ proxies

  /**
   * A forward proxy on loopback: an absolute-form request is sent on to its origin as it came
   * (this proxy's own upstream is the origin), a CONNECT gets a tunnel. Records each request line.
   */
  final class ForwardProxy implements AutoCloseable {
    final ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<String> lines = new CopyOnWriteArrayList<>();

    ForwardProxy() throws IOException {
      Thread.ofVirtual().start(() -> {
        while (!ss.isClosed()) {
          try {
            Socket client = ss.accept();
            Thread.ofVirtual().start(() -> serve(client));
          } catch (IOException e) {
            return;
          }
        }
      });
    }

    private void serve(Socket client) {
      try (client) {
        String head = readHead(client.getInputStream());
        String line = head.substring(0, head.indexOf("\r\n"));
        lines.add(line);
        String[] parts = line.split(" ");
        URI target = parts[0].equals("CONNECT") ? URI.create("tcp://" + parts[1]) : URI.create(parts[1]);
        try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
          if (parts[0].equals("CONNECT")) {
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          } else {
            upstream.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
          }
          Thread up = Thread.ofVirtual().start(() -> pipe(client, upstream));
          pipe(upstream, client);
          up.join();
        }
      } catch (IOException | InterruptedException e) {
        // the client or the origin went away
      }
    }

    private static void pipe(Socket from, Socket to) {
      try {
        from.getInputStream().transferTo(to.getOutputStream());
        to.shutdownOutput();
      } catch (IOException e) {
        // closed
      }
    }

    ProxySelector selector() {
      InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort());
      return new ProxySelector() {
        @Override
        public List<Proxy> select(URI uri) {
          return List.of(new Proxy(Proxy.Type.HTTP, at));
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
      };
    }

    @Override
    public void close() throws IOException {
      ss.close();
    }
  }

  @Test
  void anHttpRequestGoesToTheProxyInAbsoluteForm() throws Exception {
    int port = raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    try (ForwardProxy proxy = new ForwardProxy()) {
      Connector c = new Connector(HttpSettings.DEFAULTS.withProxy(proxy.selector()));

      assertThat(get(c, URI.create("http://127.0.0.1:" + port + "/m.bin?x=1"))).isEqualTo("ok".getBytes(StandardCharsets.UTF_8));
      assertThat(proxy.lines).containsExactly("GET http://127.0.0.1:" + port + "/m.bin?x=1 HTTP/1.1");
    }
  }

  @Test
  void anHttpsRequestGoesThroughAConnectTunnelAndTheCertificateIsStillChecked() throws Exception {
    KeyStore ks = keystore("ip:127.0.0.1");
    byte[] body = "tunnelled".getBytes(StandardCharsets.UTF_8);
    int port = https(ks, body);
    try (ForwardProxy proxy = new ForwardProxy()) {
      Connector c = new Connector(HttpSettings.DEFAULTS.withProxy(proxy.selector()).withTls(trusting(ks)));

      assertThat(get(c, URI.create("https://127.0.0.1:" + port + "/m.bin"))).isEqualTo(body);
      assertThat(proxy.lines).containsExactly("CONNECT 127.0.0.1:" + port + " HTTP/1.1");
      assertThatThrownBy(() -> get(new Connector(HttpSettings.DEFAULTS.withProxy(proxy.selector())),
          URI.create("https://127.0.0.1:" + port + "/m.bin"))).isInstanceOf(SSLHandshakeException.class);
    }
  }
}
