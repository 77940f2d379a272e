package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The proxy rules of curl, applied to URLs (the downloads through a real proxy are in soko-cli's NetworkEnvironmentTest). */
class ProxyRulesTest {
  static final List<String> NAMES = List.of("http_proxy", "https_proxy", "all_proxy", "no_proxy");

  static ProxyRules rules(String http, String https, String all, String noProxy) {
    return ProxyRules.of(Optional.ofNullable(http), Optional.ofNullable(https), Optional.ofNullable(all),
        Optional.ofNullable(noProxy), NAMES);
  }

  static String route(ProxyRules r, String url) {
    Proxy p = r.select(URI.create(url)).getFirst();
    return p == Proxy.NO_PROXY ? "direct" : p.toString();
  }

  @Test
  void eachSchemeUsesItsOwnProxyAndFallsBackToTheAllProxy() {
    ProxyRules r = rules("http://h:3128", null, "all:8080", null);

    assertThat(route(r, "http://example.org/a")).isEqualTo("http://h:3128");
    assertThat(route(r, "https://example.org/a")).isEqualTo("http://all:8080");
    assertThat(route(r, "ftp://example.org/a")).isEqualTo("direct");
  }

  @Test
  void aProxyWithoutAPortUsesCurlsDefault1080() {
    assertThat(route(rules("proxy.corp", null, null, null), "http://example.org/")).isEqualTo("http://proxy.corp:1080");
  }

  @Test
  void noProxyNamesMatchTheHostAndItsSubdomainsOnly() {
    ProxyRules r = rules("http://p:1", null, null, "example.com, .corp.test");

    assertThat(route(r, "http://example.com/")).isEqualTo("direct");
    assertThat(route(r, "http://www.example.com:8080/")).isEqualTo("direct");
    assertThat(route(r, "http://notexample.com/")).isEqualTo("http://p:1");
    assertThat(route(r, "http://corp.test/")).isEqualTo("direct");
    assertThat(route(r, "http://a.b.corp.test/")).isEqualTo("direct");
    assertThat(route(r, "http://example.com.evil/")).isEqualTo("http://p:1");
  }

  @Test
  void aStarBypassesEveryHost() {
    assertThat(route(rules("http://p:1", null, null, "*"), "http://anything.example/")).isEqualTo("direct");
  }

  @Test
  void noProxyAddressesMatchExactlyOrByCidrAndIpv6WithoutBrackets() {
    ProxyRules r = rules("http://p:1", null, null, "10.0.0.0/8,192.168.1.5,::1");

    assertThat(route(r, "http://10.20.30.40/")).isEqualTo("direct");
    assertThat(route(r, "http://11.0.0.1/")).isEqualTo("http://p:1");
    assertThat(route(r, "http://192.168.1.5/")).isEqualTo("direct");
    assertThat(route(r, "http://192.168.1.50/")).isEqualTo("http://p:1");
    assertThat(route(r, "http://[::1]:8080/")).isEqualTo("direct");
  }

  @Test
  void loopbackIsProxiedUnlessListedAsInCurl() {
    ProxyRules r = rules("http://p:1", null, null, "localhost");

    assertThat(route(r, "http://127.0.0.1/")).isEqualTo("http://p:1");
    assertThat(route(r, "http://localhost/")).isEqualTo("direct");
  }

  @Test
  void aNoProxyEntryWithAPortMatchesThatPortOnly() {
    ProxyRules r = rules("http://p:1", "http://p:1", null, "mirror.test:8080");

    assertThat(route(r, "http://mirror.test:8080/")).isEqualTo("direct");
    assertThat(route(r, "http://mirror.test/")).isEqualTo("http://p:1");
    assertThat(route(r, "https://mirror.test/")).isEqualTo("http://p:1");
  }

  @Test
  void credentialsBecomeABasicProxyAuthorizationAndAreNeverShown() {
    ProxyRules r = rules("http://al%40ice:p+ss%3Aw@p:3128", null, null, null);
    ProxyRules.Route route = (ProxyRules.Route) r.select(URI.create("http://example.org/")).getFirst();

    assertThat(route.authorization()).contains("Basic " + java.util.Base64.getEncoder()
        .encodeToString("al@ice:p+ss:w".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(route.toString()).isEqualTo("http://p:3128 (with credentials)");
    assertThat(r.toString()).doesNotContain("p+ss").doesNotContain("al%40ice");
  }

  @Test
  void aSocksOrHttpsProxyIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> rules(null, "socks5h://p:1080", null, null))
        .hasMessage("https_proxy names a socks5h:// proxy; Soko talks to HTTP proxies only: give one as http://HOST:PORT");
    assertThatThrownBy(() -> rules(null, null, "https://p:443", null))
        .hasMessage("all_proxy names a https:// proxy; Soko talks to HTTP proxies only: give one as http://HOST:PORT");
  }

  @Test
  void aProxyUrlWithAPathIsRefusedWithoutShowingItsPassword() {
    assertThatThrownBy(() -> rules("http://u:hunter2@p:1/x", null, null, null))
        .hasMessage("http_proxy has a path, query or fragment; give the proxy as http://HOST:PORT");
  }
}
