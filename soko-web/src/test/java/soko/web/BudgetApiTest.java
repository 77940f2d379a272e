package soko.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.app.ConfigFile;
import soko.app.Soko;

/** {@code POST /api/budget} sets the storage budget as {@code soko config set budget} does, and unsets it. */
class BudgetApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path dir;
  Soko soko;
  WebServer web;

  @BeforeEach
  void start() throws Exception {
    soko = Fixtures.soko(dir.resolve("home"));
    soko.install("demo-phrasebook");
    web = Fixtures.serve(soko);
  }

  @AfterEach
  void stop() {
    Fixtures.stop(web);
  }

  private RawHttp.Response post(String json) throws Exception {
    return RawHttp.post(web.port(), "/api/budget", Map.of(Guard.TOKEN_HEADER, web.token()), json);
  }

  @Test
  void aBudgetSetOnThePageIsTheSettingTheCliReadsAndTheAnswerIsTheBudgetInForce() throws Exception {
    RawHttp.Response r = post("{\"budget\":\"1.5gib\"}");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode b = JSON.readTree(r.body());
    assertThat(soko.config().get(ConfigFile.Key.BUDGET)).contains("1.5GiB");
    assertThat(b.at("/budget/value").asText()).isEqualTo("1.5GiB");
    assertThat(b.at("/budget/origin").asText()).isEqualTo("settings");
    assertThat(b.at("/budget/bytes").asLong()).isEqualTo(3L << 29);
    assertThat(b.get("used").asLong()).isEqualTo(soko.budgetUse()).isPositive();
    JsonNode read = JSON.readTree(RawHttp.send(web.port(), "GET", "/api/budget", Map.of(), new byte[0]).body());
    assertThat(read).isEqualTo(b);
  }

  @Test
  void unsetRemovesTheSettingAndSaysSoTwice() throws Exception {
    soko.config().set(ConfigFile.Key.BUDGET, "20GiB");

    RawHttp.Response first = post("{\"unset\":true}");
    RawHttp.Response second = post("{\"unset\":true}");

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(JSON.readTree(first.body()).get("budget").isNull()).isTrue();
    assertThat(second.status()).isEqualTo(200);
    assertThat(soko.config().get(ConfigFile.Key.BUDGET)).isEqualTo(Optional.empty());
  }
}
