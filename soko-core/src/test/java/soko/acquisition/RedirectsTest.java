package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RedirectsTest {
  static final URI HTTPS = URI.create("https://models.example.org/a/m.bin");
  static final URI HTTP = URI.create("http://mirror.lan/a/m.bin");

  @Test
  void relativeLocationResolvesAgainstTheCurrentUrl() {
    assertThat(Redirects.next(HTTPS, HTTPS, "../b/m.bin").next()).contains(URI.create("https://models.example.org/b/m.bin"));
  }

  @Test
  void aPortPastTheLastOneIsRefusedWithAReason() {
    Redirects.Result r = Redirects.next(HTTP, HTTP, "http://mirror.lan:99999/m.bin");
    assertThat(r.next()).isEmpty();
    assertThat(r.refusal()).isEqualTo("redirected to http://mirror.lan:99999/m.bin, whose port 99999 is out of range (1-65535)");
  }

  @Test
  void httpsSourceIsNeverDowngradedToHttp() {
    Redirects.Result r = Redirects.next(HTTPS, HTTPS, "http://cdn.example.org/m.bin");
    assertThat(r.next()).isEmpty();
    assertThat(r.refusal()).isEqualTo("redirected from https to plain http (http://cdn.example.org/m.bin)");
  }

  @Test
  void httpsSourceStaysRefusedOnHttpEvenAfterAnHttpsHop() {
    URI hop = URI.create("https://cdn.example.org/m.bin");
    assertThat(Redirects.next(HTTPS, hop, "http://other.example.org/m.bin").next()).isEmpty();
  }

  @Test
  void httpSourceMayRedirectToHttpOrHttps() {
    assertThat(Redirects.next(HTTP, HTTP, "http://mirror2.lan/m.bin").next()).isPresent();
    assertThat(Redirects.next(HTTP, HTTP, "https://mirror2.lan/m.bin").next()).isPresent();
  }

  @Test
  void credentialsInTheLocationAreRefused() {
    assertThat(Redirects.next(HTTPS, HTTPS, "https://user:pw@cdn.example.org/m.bin").next()).isEmpty();
  }
}
