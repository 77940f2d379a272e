package soko.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.app.Soko;

/** Served beyond loopback, the page and its API answer only with the key from the printed URL. */
class RemoteBindTest {
  @TempDir
  Path home;

  @Test
  void withoutTheKeyEveryRequestIsRefusedAndThePrintedUrlOpensThePage() throws Exception {
    Soko soko = Fixtures.soko(home);
    soko.install("silero-vad");
    try (WebServer web = WebServer.start(soko, "0.0.0.0", 0); HttpClient http = HttpClient.newHttpClient()) {
      assertThat(web.uri().getQuery()).startsWith("key=");
      String base = "http://127.0.0.1:" + web.port();

      HttpResponse<String> bare = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(bare.statusCode()).isEqualTo(403);
      assertThat(bare.body()).contains("needs its key").doesNotContain(web.token());
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/diagnostics")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);

      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/?" + web.uri().getQuery())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Set-Cookie")).isEmpty();

      HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(base + "/api/diagnostics"))
          .header(Guard.KEY_HEADER, web.uri().getQuery().substring("key=".length())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isEqualTo(200);
      assertThat(api.body()).contains("silero-vad");
    }
  }
}
