package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.EngineRequirement;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.testkit.nginx.Nginx;
import soko.testkit.nginx.PrivateCa;
import soko.testkit.proxy.Tinyproxy;
import soko.verification.Hashing;

/**
 * Proxies and private CAs from the environment, in a fresh {@code soko} process: downloads through
 * a real forward proxy (tinyproxy) on loopback, from an http nginx and an https nginx whose
 * certificate a CA made at test time signed.
 */
class NetworkEnvironmentTest {
  static final String USER = "alice";
  static final String PASSWORD = "s3cretPw42";

  @TempDir
  Path dir;

  Nginx nginx;
  Nginx tls;
  Tinyproxy proxy;
  PrivateCa ca;
  byte[] bytes;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(Nginx.available(), () -> "skipped: " + Nginx.unavailableReason().orElse(""));
    Assumptions.assumeTrue(Tinyproxy.unavailableReason().isEmpty(), () -> "skipped: "
        + Tinyproxy.unavailableReason().orElse(""));
    Assumptions.assumeTrue(PrivateCa.unavailableReason().isEmpty(), () -> "skipped: "
        + PrivateCa.unavailableReason().orElse(""));
    bytes = new byte[300_000];
    new Random(13).nextBytes(bytes);
    nginx = Nginx.start(dir.resolve("nginx"));
    ca = PrivateCa.create(dir.resolve("ca"));
    tls = Nginx.start(dir.resolve("nginx-tls"), Optional.of(ca.server()));
    Files.write(nginx.root().resolve("m.bin"), bytes);
    Files.write(tls.root().resolve("m.bin"), bytes);
    proxy = Tinyproxy.start(dir.resolve("proxy"), Optional.of(List.of(USER, PASSWORD)));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {proxy, nginx, tls}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** A manifest file for one model whose one file is at {@code url}. */
  Path manifest(String name, URI url) throws Exception {
    Manifest m = new Manifest(ModelName.parse(name), Version.parse("1.0.0"), "a file served on loopback",
        List.of(TaskSpec.vad()), new EngineRequirement("onnx", VersionRange.ANY),
        new License("MIT", URI.create("https://example.org/LICENSE"), "Example"),
        List.of(new ModelFile(RelativePath.parse("m.bin"), bytes.length, Hashing.sha256(bytes),
            List.of(new SourceUri(url)))), false, Map.of());
    Path file = dir.resolve(name + ".json");
    Files.write(file, ManifestCodec.write(m));
    return file;
  }

  Child.Result install(Map<String, String> env, String name, URI url, String... more) throws Exception {
    Map<String, String> e = new HashMap<>(env);
    e.put("SOKO_HOME", dir.resolve("home").toString());
    List<String> args = new java.util.ArrayList<>(List.of("install", manifest(name, url).toString(), "--yes"));
    args.addAll(List.of(more));
    return new Child(dir, e, List.of()).run(args.toArray(String[]::new));
  }

  String withCredentials() {
    return proxy.url(Optional.of(USER + ":" + PASSWORD));
  }

  @Test
  void anHttpMirrorIsReachedThroughTheProxyWhoseCredentialsNeverReachTheOrigin() throws Exception {
    Child.Result r = install(Map.of("http_proxy", withCredentials()), "via-proxy", nginx.uri("/m.bin"));

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(proxy.requests()).as(proxy.log())
        .containsExactly(new Tinyproxy.Request("GET", nginx.uri("/m.bin").toString()));
    List<Nginx.Entry> log = nginx.awaitEntries(1, java.time.Duration.ofSeconds(5));
    assertThat(log).hasSize(1);
    assertThat(log.getFirst().proxyAuthorization()).isEmpty();
    assertThat(log.getFirst().authorization()).isEmpty();
    assertThat(r.out() + r.err()).doesNotContain(PASSWORD);
  }

  @Test
  void anHttpsMirrorIsReachedThroughAConnectTunnelAndItsPrivateCaIsTrustedThroughSslCertFile() throws Exception {
    Child.Result r = install(Map.of("HTTPS_PROXY", withCredentials(), "SSL_CERT_FILE", ca.caCertificate().toString()),
        "via-tunnel", tls.uri("/m.bin"));

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(proxy.requests()).as(proxy.log())
        .containsExactly(new Tinyproxy.Request("CONNECT", "127.0.0.1:" + tls.port()));
    List<Nginx.Entry> log = tls.awaitEntries(1, java.time.Duration.ofSeconds(5));
    assertThat(log).extracting(Nginx.Entry::proxyAuthorization).containsExactly("");
  }

  @Test
  void noProxyListsHostsReachedDirectly() throws Exception {
    Child.Result r = install(Map.of("HTTP_PROXY", withCredentials(), "NO_PROXY", "example.org, 127.0.0.1"),
        "direct", nginx.uri("/m.bin"));

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(proxy.requests()).isEmpty();
    assertThat(nginx.awaitEntries(1, java.time.Duration.ofSeconds(5))).hasSize(1);
  }

  @Test
  void theLowerCaseVariableWinsOverTheUpperCaseOne() throws Exception {
    Child.Result r = install(Map.of("http_proxy", withCredentials(), "HTTP_PROXY", "http://127.0.0.1:1"),
        "lower-wins", nginx.uri("/m.bin"));

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(proxy.requests()).hasSize(1);
  }

  @Test
  void wrongProxyCredentialsFailWithoutPrintingThePassword() throws Exception {
    Child.Result r = install(Map.of("https_proxy", proxy.url(Optional.of(USER + ":wrongPw99"))), "refused",
        tls.uri("/m.bin"), "--ca-file", ca.caCertificate().toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    // tinyproxy answers wrong credentials with 401 (and none with 407)
    assertThat(r.err()).contains("the proxy http://127.0.0.1:" + proxy.port() + " (with credentials) refused the"
        + " credentials of its URL to connect to 127.0.0.1:" + tls.port() + " (HTTP/1.0 401 Unauthorized): check the user"
        + " and password in the proxy variable");
    assertThat(r.out() + r.err()).doesNotContain("wrongPw99");
    assertThat(tls.accessLog()).isEmpty();
  }

  @Test
  void aProxyThatWantsCredentialsSaysWhereToPutThem() throws Exception {
    Child.Result r = install(Map.of("https_proxy", proxy.url(Optional.empty())), "no-credentials", tls.uri("/m.bin"),
        "--ca-file", ca.caCertificate().toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("the proxy http://127.0.0.1:" + proxy.port() + " wants credentials to connect to"
        + " 127.0.0.1:" + tls.port() + " (HTTP/1.0 407 Proxy Authentication Required): put them in the proxy variable as"
        + " http://USER:PASSWORD@HOST:PORT");
  }

  @Test
  void aProxyVariableThatIsNotAnHttpProxyIsRefusedByName() throws Exception {
    Child.Result r = install(Map.of("ALL_PROXY", "socks5://127.0.0.1:1080"), "socks", nginx.uri("/m.bin"));

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("ALL_PROXY names a socks5:// proxy; Soko talks to HTTP proxies only: give one as"
        + " http://HOST:PORT");
    assertThat(nginx.accessLog()).isEmpty();
  }

  @Test
  void aPrivateCaNotTrustedFailsNamingTheHostAndHowToTrustItNeverSuggestingPlainHttp() throws Exception {
    Child.Result r = install(Map.of(), "untrusted", tls.uri("/m.bin"));

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("the TLS certificate of 127.0.0.1 is not signed by a CA that Soko trusts; if 127.0.0.1"
        + " uses a private CA, trust it with --ca-file CA.pem or SSL_CERT_FILE=CA.pem (a PEM file)");
    assertThat(r.err()).doesNotContain("plain http").doesNotContain("insecure").doesNotContain("check the network");
  }

  @Test
  void thePrivateCaIsTrustedWithCaFile() throws Exception {
    Child.Result r = install(Map.of(), "ca-file", tls.uri("/m.bin"), "--ca-file", ca.caCertificate().toString());

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(tls.awaitEntries(1, java.time.Duration.ofSeconds(5))).extracting(Nginx.Entry::status).containsExactly(200);
  }

  @Test
  void thePrivateCaIsTrustedFromAFolderOfCertificatesAsTheSystemStoreIsRead() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("certs"));
    Files.copy(ca.caCertificate(), folder.resolve("soko-test-ca.pem"));
    Files.writeString(folder.resolve("README"), "not a certificate\n");
    Child.Result r = install(Map.of("SSL_CERT_DIR", folder.toString()), "cert-dir", tls.uri("/m.bin"));

    assertThat(r.code()).as(r.toString()).isZero();
  }

  @Test
  void aMissingCaFileIsRefusedBeforeAnyRequest() throws Exception {
    Child.Result r = install(Map.of(), "no-ca", tls.uri("/m.bin"), "--ca-file", dir.resolve("nope.pem").toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("the CA file " + dir.resolve("nope.pem") + " does not exist");
    assertThat(tls.accessLog()).isEmpty();
  }
}
