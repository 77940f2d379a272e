package soko.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.app.Soko;

/** Oversized headers get 431, and a name that is no model name is refused before it could be echoed in a fix. */
class RequestLimitsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  static Path dir;
  static WebServer web;

  @BeforeAll
  static void start() throws Exception {
    Soko soko = Fixtures.soko(dir.resolve("home"));
    soko.install("silero-vad");
    web = WebServer.start(soko, WebServer.LOOPBACK, 0);
    RawHttp.key = web.uri().getQuery().substring("key=".length());
  }

  @AfterAll
  static void stop() {
    RawHttp.key = null;
    if (web != null) {
      web.close();
    }
  }

  @Test
  void headersLargerThanTheLimitGet431() throws Exception {
    RawHttp.Response big = RawHttp.send(web.port(), "GET", "/api/diagnostics", Map.of("X-Filler", "a".repeat(100 * 1024)),
        new byte[0]);
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 150; i++) {
      many.put("X-Filler-" + i, "a");
    }
    RawHttp.Response numerous = RawHttp.send(web.port(), "GET", "/api/diagnostics", many, new byte[0]);

    assertThat(big.status()).isEqualTo(431);
    JsonNode e = JSON.readTree(big.body()).get("error");
    assertThat(e.get("type").asText()).isEqualTo("header-too-large");
    assertThat(e.get("message").asText()).startsWith("the request's headers are ")
        .endsWith(" fields; at most 65536 bytes in 100 fields are accepted: send fewer or smaller headers (cookies a"
            + " browser keeps for this address count too)");
    assertThat(numerous.status()).isEqualTo(431);
    assertThat(RawHttp.send(web.port(), "GET", "/api/diagnostics", Map.of(), new byte[0]).status()).isEqualTo(200);
  }

  @Test
  void aNameThatIsNoModelNameIsRefusedAndNeverEchoedInAFix() throws Exception {
    Map<String, String> token = Map.of(Guard.TOKEN_HEADER, web.token());
    RawHttp.Response remove = RawHttp.post(web.port(), "/api/remove", token, "{\"model\":\"../refs/silero-vad\"}");
    RawHttp.Response verify = RawHttp.post(web.port(), "/api/verify", token, "{\"model\":\"../refs/silero-vad\"}");

    for (RawHttp.Response r : new RawHttp.Response[] {remove, verify}) {
      assertThat(r.status()).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).at("/error/message").asText()).isEqualTo("\"model\" is not a model name: a"
          + " model name is 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, such"
          + " as whisper-base");
    }
  }
}
