package soko.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.app.ConfigFile;
import soko.app.Soko;
import soko.manifest.ManifestCodec;
import soko.manifest.SourceUri;
import soko.testkit.nginx.Nginx;
import soko.testkit.RequiredTool;

/**
 * Every request is hostile until checked: each refused request gets its status and one-line JSON
 * error, and changes nothing in the store, the cache or the library, and fetches nothing.
 */
class ApiSafetyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  static Path dir;
  static Soko soko;
  static Nginx nginx;
  static WebServer web;
  static byte[] remote = Fixtures.bytes(4096, 7);
  Map<String, String> before;

  @BeforeAll
  static void start() throws Exception {
    RequiredTool.require(Nginx.unavailableReason());
    soko = Fixtures.soko(dir.resolve("home"));
    soko.install("demo-phrasebook");
    nginx = Nginx.start(Files.createDirectories(dir.resolve("nginx")));
    Files.write(nginx.root().resolve("remote.bin"), remote);
    Files.write(nginx.root().resolve("nc.bin"), remote);
    Fixtures.publishCatalog(soko, nginx, List.of(Fixtures.model("web-remote", "a remote test model", remote,
        SourceUri.parse(nginx.uri("/remote.bin").toString())), Fixtures.nonCommercial(Fixtures.model("web-nc",
        "a remote test model whose licence forbids commercial use", remote, SourceUri.parse(nginx.uri("/nc.bin").toString())))));
    Files.createDirectories(soko.settings().roots().library());
    Files.writeString(soko.settings().roots().library().resolve("interview.wav"), "not really audio");
    web = WebServer.start(soko, WebServer.LOOPBACK, 0);
    // As the page's script does: the key from the printed URL rides along in a header.
    RawHttp.key = web.uri().getQuery().substring("key=".length());
  }

  @AfterAll
  static void stop() throws Exception {
    RawHttp.key = null;
    if (web != null) {
      web.close();
    }
    if (nginx != null) {
      nginx.close();
    }
  }

  @BeforeEach
  void snapshot() throws Exception {
    before = Fixtures.snapshot(dir.resolve("home"));
  }

  @AfterEach
  void nothingChangedAndNothingFetched() throws Exception {
    assertThat(Fixtures.snapshot(dir.resolve("home"))).isEqualTo(before);
    assertThat(nginx.accessLog()).extracting(Nginx.Entry::path).doesNotContain("/remote.bin", "/nc.bin");
    assertThat(soko.isVerified("demo-phrasebook")).isTrue();
  }

  private static Map<String, String> token() {
    return Map.of(Guard.TOKEN_HEADER, web.token());
  }

  private static void assertRefused(RawHttp.Response r, int status, String type, String message) throws Exception {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.headers().get("content-type")).isEqualTo("application/json; charset=utf-8");
    JsonNode e = JSON.readTree(r.body()).get("error");
    assertThat(e.get("type").asText()).isEqualTo(type);
    assertThat(e.get("status").asInt()).isEqualTo(status);
    assertThat(e.get("message").asText()).isEqualTo(message);
  }

  @Test
  void theServedPageCarriesThisRunsTokenAndAStrictContentSecurityPolicy() throws Exception {
    RawHttp.Response r = RawHttp.send(web.port(), "GET", "/", Map.of(), new byte[0]);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("<meta name=\"soko-token\" content=\"" + web.token() + "\">");
    assertThat(r.headers().get("content-security-policy")).contains("script-src 'self'").contains("frame-ancestors 'none'");
    assertThat(web.uri().toString()).startsWith("http://127.0.0.1:").contains("/?key=");
  }

  @Test
  void onLoopbackTooThePageAndTheApiNeedTheKeySoAnotherUserCannotReadTheToken() throws Exception {
    Map<String, String> noKey = Map.of(Guard.KEY_HEADER, "");
    RawHttp.Response page = RawHttp.send(web.port(), "GET", "/", noKey, new byte[0]);
    RawHttp.Response api = RawHttp.send(web.port(), "GET", "/api/diagnostics", noKey, new byte[0]);
    RawHttp.Response events = RawHttp.send(web.port(), "GET", "/api/events", noKey, new byte[0]);
    RawHttp.Response action = RawHttp.post(web.port(), "/api/remove", Map.of(Guard.KEY_HEADER, "", Guard.TOKEN_HEADER,
        web.token()), "{\"model\":\"demo-phrasebook\"}");
    RawHttp.Response wrong = RawHttp.send(web.port(), "GET", "/?key=nope", Map.of(Guard.KEY_HEADER, "nope"),
        new byte[0]);

    assertRefused(page, 403, "key", "this Soko page needs its key: open the URL `soko serve` printed (it ends with"
        + " ?key=…)");
    assertThat(page.body()).doesNotContain(web.token());
    assertThat(api.status()).isEqualTo(403);
    assertThat(events.status()).isEqualTo(403);
    assertThat(action.status()).isEqualTo(403);
    assertThat(wrong.status()).isEqualTo(403);

    // The printed URL opens the page, and sets no cookie: browsers would send a cookie for
    // 127.0.0.1 to every other server on 127.0.0.1, whatever its port.
    RawHttp.Response opened = RawHttp.send(web.port(), "GET", "/?" + web.uri().getQuery(), noKey, new byte[0]);
    assertThat(opened.status()).isEqualTo(200);
    assertThat(opened.headers()).doesNotContainKey("set-cookie");
    // The script and style sheet are public code with no data in them.
    RawHttp.Response script = RawHttp.send(web.port(), "GET", "/app.js", noKey, new byte[0]);
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.body()).doesNotContain(web.token());
  }

  @Test
  void anActionWithoutTheTokenIsRefused() throws Exception {
    RawHttp.Response r = RawHttp.post(web.port(), "/api/remove", Map.of(), "{\"model\":\"demo-phrasebook\"}");

    assertRefused(r, 403, "token", "the X-Soko-Token header is missing; actions are accepted only from the page that"
        + " `soko serve` printed");
  }

  @Test
  void anActionWithAWrongTokenIsRefused() throws Exception {
    RawHttp.Response r = RawHttp.post(web.port(), "/api/cache/clear", Map.of(Guard.TOKEN_HEADER, web.token() + "x"),
        "{\"dryRun\":false}");

    assertRefused(r, 403, "token", "the X-Soko-Token header is wrong (each `soko serve` run has its own token);"
        + " reload the page");
  }

  @Test
  void aRequestFromAnotherOriginIsRefusedEvenWithTheToken() throws Exception {
    RawHttp.Response r = RawHttp.post(web.port(), "/api/remove",
        Map.of(Guard.TOKEN_HEADER, web.token(), "Origin", "http://evil.example"), "{\"model\":\"demo-phrasebook\"}");
    RawHttp.Response events = RawHttp.send(web.port(), "GET", "/api/diagnostics", Map.of("Origin", "http://evil.example"),
        new byte[0]);

    assertRefused(r, 403, "origin", "requests from http://evil.example are refused; only the page served by"
        + " `soko serve` may use this API");
    assertThat(events.status()).isEqualTo(403);
  }

  @Test
  void aForeignHostIsRefusedSoDnsRebindingCannotReachTheApi() throws Exception {
    RawHttp.Response r = RawHttp.post(web.port(), "/api/gc",
        Map.of(Guard.TOKEN_HEADER, web.token(), "Host", "evil.example:" + web.port()), "{\"dryRun\":false}");
    RawHttp.Response page = RawHttp.send(web.port(), "GET", "/", Map.of("Host", "evil.example:" + web.port()), new byte[0]);

    assertRefused(r, 403, "host", "the Host header \"evil.example:" + web.port() + "\" does not name this server;"
        + " open the URL that `soko serve` printed");
    assertThat(page.status()).isEqualTo(403);
    assertThat(page.body()).doesNotContain(web.token());
  }

  @Test
  void anActionSentAsGetIsRefusedWithTheAllowedMethod() throws Exception {
    RawHttp.Response r = RawHttp.send(web.port(), "GET", "/api/remove?model=demo-phrasebook", Map.of(), new byte[0]);

    assertRefused(r, 405, "method", "GET is not allowed here; use POST");
    assertThat(r.headers().get("allow")).isEqualTo("POST");
  }

  @Test
  void aHostileBudgetIsRefusedAsInvalidInputAndNothingIsSet() throws Exception {
    Map<String, String> bodies = new java.util.LinkedHashMap<>();
    bodies.put("{\"budget\":\"lots\"}", "the budget \"lots\" is not a size: give a number and a unit, such as 20GiB,"
        + " 500MiB or 1.5TB");
    bodies.put("{\"budget\":\"512KiB\"}", "the budget \"512KiB\" is below 1 MiB: give a size such as 20GiB");
    bodies.put("{\"budget\":\"2PiB\"}", "the budget \"2PiB\" is not a size: give a number and a unit, such as 20GiB,"
        + " 500MiB or 1.5TB");
    String notASize = "\"budget\" is not a size: give a number and a unit, such as 20GiB, 500MiB or 1.5TB";
    bodies.put("{\"budget\":\"20GiB\\n\\u001b[2J\"}", notASize);
    bodies.put("{\"budget\":\"<script>alert(1)</script>\"}", "the budget \"<script>alert(1)</script>\" is not a size:"
        + " give a number and a unit, such as 20GiB, 500MiB or 1.5TB");
    bodies.put("{\"budget\":\"" + "9".repeat(5000) + "GiB\"}", notASize);
    bodies.put("{\"budget\":\"20GiB\u00a0\"}", notASize);
    bodies.put("{\"budget\":20}", "\"budget\" must be a size in a string, such as \"20GiB\"");
    bodies.put("{\"budget\":null}", "\"budget\" must be a size in a string, such as \"20GiB\"");
    bodies.put("{\"budget\":\"  \"}", "\"budget\" is required: a size such as 20GiB, 500MiB or 1.5TB (or \"unset\": true)");
    bodies.put("{}", "\"budget\" is required: a size such as 20GiB, 500MiB or 1.5TB (or \"unset\": true)");
    bodies.put("{\"budget\":\"20GiB\",\"unset\":true}", "send either \"budget\" or \"unset\": true, not both");
    for (Map.Entry<String, String> e : bodies.entrySet()) {
      assertRefused(RawHttp.post(web.port(), "/api/budget", token(), e.getKey()), 400, "invalid-input", e.getValue());
    }
    assertThat(soko.config().get(ConfigFile.Key.BUDGET)).isEmpty();
  }

  @Test
  void settingTheBudgetNeedsTheTokenAndThePagesOriginAndHostAsEveryAction() throws Exception {
    String body = "{\"budget\":\"20GiB\"}";
    RawHttp.Response noToken = RawHttp.post(web.port(), "/api/budget", Map.of(), body);
    RawHttp.Response foreign = RawHttp.post(web.port(), "/api/budget",
        Map.of(Guard.TOKEN_HEADER, web.token(), "Origin", "http://evil.example"), body);
    RawHttp.Response rebound = RawHttp.post(web.port(), "/api/budget",
        Map.of(Guard.TOKEN_HEADER, web.token(), "Host", "evil.example:" + web.port()), body);
    RawHttp.Response put = RawHttp.send(web.port(), "PUT", "/api/budget", token(), body.getBytes(StandardCharsets.UTF_8));
    RawHttp.Response form = RawHttp.send(web.port(), "POST", "/api/budget",
        Map.of(Guard.TOKEN_HEADER, web.token(), "Content-Type", "application/x-www-form-urlencoded"),
        "budget=20GiB".getBytes(StandardCharsets.UTF_8));

    assertThat(noToken.status()).isEqualTo(403);
    assertThat(JSON.readTree(noToken.body()).at("/error/type").asText()).isEqualTo("token");
    assertThat(JSON.readTree(foreign.body()).at("/error/type").asText()).isEqualTo("origin");
    assertThat(JSON.readTree(rebound.body()).at("/error/type").asText()).isEqualTo("host");
    assertRefused(put, 405, "method", "PUT is not allowed here; use GET, POST");
    assertThat(put.headers().get("allow")).isEqualTo("GET, POST");
    assertThat(form.status()).isEqualTo(415);
    assertThat(soko.config().get(ConfigFile.Key.BUDGET)).isEmpty();
  }

  @Test
  void malformedJsonIsRefused() throws Exception {
    RawHttp.Response r = RawHttp.post(web.port(), "/api/remove", token(), "{\"model\":\"demo-phrasebook\",}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).at("/error/type").asText()).isEqualTo("malformed-json");
  }

  @Test
  void duplicateFieldsTrailingDataUnknownFieldsAndWrongTypesAreRefused() throws Exception {
    List<String> bodies = List.of("{\"model\":\"x\",\"model\":\"demo-phrasebook\"}", "{\"model\":\"demo-phrasebook\"} {}",
        "[\"demo-phrasebook\"]", "{\"model\":\"demo-phrasebook\",\"force\":true}", "{\"model\":7}", "");
    for (String body : bodies) {
      RawHttp.Response r = RawHttp.post(web.port(), "/api/remove", token(), body);
      assertThat(r.status()).as(body).isEqualTo(400);
    }
    RawHttp.Response unknown = RawHttp.post(web.port(), "/api/remove", token(), "{\"model\":\"demo-phrasebook\",\"force\":true}");
    assertRefused(unknown, 400, "bad-request", "unknown field \"force\"; this request takes model");
  }

  @Test
  void aBodyOverTheSizeCapOrOfAnotherTypeIsRefused() throws Exception {
    String huge = "{\"model\":\"" + "a".repeat(Body.MAX_BYTES) + "\"}";
    RawHttp.Response big = RawHttp.post(web.port(), "/api/remove", token(), huge);
    RawHttp.Response form = RawHttp.send(web.port(), "POST", "/api/remove",
        Map.of(Guard.TOKEN_HEADER, web.token(), "Content-Type", "application/x-www-form-urlencoded"),
        "model=demo-phrasebook".getBytes(StandardCharsets.UTF_8));

    assertRefused(big, 413, "too-large", "the request body is larger than 16384 bytes");
    assertRefused(form, 415, "content-type", "send the request body as application/json (got"
        + " \"application/x-www-form-urlencoded\")");
  }

  @Test
  void anUnknownModelIsNotFound() throws Exception {
    RawHttp.Response install = RawHttp.post(web.port(), "/api/install", token(), "{\"model\":\"no-such-model\"}");
    RawHttp.Response remove = RawHttp.post(web.port(), "/api/remove", token(), "{\"model\":\"no-such-model\"}");
    RawHttp.Response verify = RawHttp.post(web.port(), "/api/verify", token(), "{\"model\":\"no-such-model\"}");

    assertRefused(install, 404, "not-found", "no model or alias named \"no-such-model\" in the catalog");
    assertThat(remove.status()).isEqualTo(404);
    assertThat(JSON.readTree(remove.body()).at("/error/type").asText()).isEqualTo("not-found");
    assertThat(verify.status()).isEqualTo(404);
  }

  @Test
  void thePageCannotInstallFromAManifestFilePath() throws Exception {
    Path manifest = dir.resolve("home").getParent().resolve("outside.json");
    Files.write(manifest, ManifestCodec.write(Fixtures.model("outside", "x", remote,
        SourceUri.parse(nginx.uri("/remote.bin").toString()))));

    RawHttp.Response r = RawHttp.post(web.port(), "/api/plan", token(), "{\"model\":\"" + manifest + "\"}");

    assertRefused(r, 404, "not-found", "no model or alias named \"" + manifest + "\" in the catalog");
  }

  @Test
  void aDownloadWithoutTheAcceptedPlanIsRefusedWithThePlanToShow() throws Exception {
    RawHttp.Response r = RawHttp.post(web.port(), "/api/install", token(), "{\"model\":\"web-remote\"}");

    assertRefused(r, 409, "consent", "installing web-remote downloads 4.0 KiB; show the plan to the person and"
        + " send their acceptance");
    JsonNode plan = JSON.readTree(r.body()).get("plan");
    assertThat(plan.get("bytesToDownload").asLong()).isEqualTo(4096);
    assertThat(plan.get("hosts").get(0).asText()).isEqualTo("127.0.0.1:" + nginx.port());
    assertThat(plan.at("/license/spdx").asText()).isEqualTo("CC0-1.0");
  }

  @Test
  void anAcceptanceOfADifferentPlanIsRefused() throws Exception {
    String accept = "{\"version\":\"1.0.0\",\"bytesToDownload\":4095,\"hosts\":[\"127.0.0.1:" + nginx.port()
        + "\"],\"license\":\"CC0-1.0\"}";
    RawHttp.Response r = RawHttp.post(web.port(), "/api/install", token(), "{\"model\":\"web-remote\",\"accept\":" + accept + "}");
    String otherHost = "{\"version\":\"1.0.0\",\"bytesToDownload\":4096,\"hosts\":[\"elsewhere.example\"],\"license\":\"CC0-1.0\"}";
    RawHttp.Response h = RawHttp.post(web.port(), "/api/install", token(), "{\"model\":\"web-remote\",\"accept\":" + otherHost + "}");

    assertRefused(r, 409, "plan-changed", "the download plan for web-remote changed since it was shown; show the new"
        + " plan and ask again");
    assertThat(h.status()).isEqualTo(409);
  }

  @Test
  void aNonCommercialModelIsRefusedUnlessTheAcceptanceNamesItsLicence() throws Exception {
    String plan = "\"version\":\"1.0.0\",\"bytesToDownload\":4096,\"hosts\":[\"127.0.0.1:" + nginx.port()
        + "\"],\"license\":\"CC-BY-NC-4.0\"";
    RawHttp.Response shown = RawHttp.post(web.port(), "/api/plan", token(), "{\"model\":\"web-nc\"}");
    RawHttp.Response unticked = RawHttp.post(web.port(), "/api/install", token(),
        "{\"model\":\"web-nc\",\"accept\":{" + plan + "}}");
    RawHttp.Response other = RawHttp.post(web.port(), "/api/install", token(),
        "{\"model\":\"web-nc\",\"accept\":{" + plan + ",\"acceptLicense\":\"CC-BY-4.0\"}}");
    RawHttp.Response none = RawHttp.post(web.port(), "/api/install", token(), "{\"model\":\"web-nc\"}");

    assertThat(JSON.readTree(shown.body()).get("nonCommercial").asBoolean()).isTrue();
    String message = "web-nc@1.0.0 is licensed CC-BY-NC-4.0, for non-commercial use only; the person must accept that"
        + " licence by name (the box in the consent dialog), sent as accept.acceptLicense";
    assertRefused(unticked, 409, "license-not-accepted", message);
    assertRefused(other, 409, "license-not-accepted", message);
    assertRefused(none, 409, "license-not-accepted", message);
    assertThat(JSON.readTree(unticked.body()).at("/plan/nonCommercial").asBoolean()).isTrue();
  }

  @Test
  void aBrowserNavigationWithoutTheKeyGetsAPageSayingHowToGetAFreshAddressWhileTheApiKeepsJson() throws Exception {
    Map<String, String> navigation = Map.of(Guard.KEY_HEADER, "", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    RawHttp.Response page = RawHttp.send(web.port(), "GET", "/?key=from-an-earlier-run", navigation, new byte[0]);
    RawHttp.Response api = RawHttp.send(web.port(), "GET", "/api/diagnostics?key=from-an-earlier-run", navigation,
        new byte[0]);

    assertThat(page.status()).isEqualTo(403);
    assertThat(page.headers().get("content-type")).isEqualTo("text/html; charset=utf-8");
    assertThat(page.headers().get("content-security-policy")).contains("script-src 'self'");
    assertThat(page.body()).contains("<h2>This Soko page needs a fresh address</h2>")
        .contains("Run <code>soko serve</code> again").contains("?key=").doesNotContain(web.token());
    assertRefused(api, 403, "key", "this Soko page needs its key: open the URL `soko serve` printed (it ends with"
        + " ?key=…)");
  }

  @Test
  void aRefusalShownAsAPageEscapesWhatTheRequestCarried() throws Exception {
    RawHttp.Response r = RawHttp.send(web.port(), "GET", "/", Map.of("Accept", "text/html", "Host",
        "<script>alert('x')</script>"), new byte[0]);

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.headers().get("content-type")).isEqualTo("text/html; charset=utf-8");
    assertThat(r.body()).contains("<p>the Host header &quot;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot; does not"
        + " name this server; open the URL that `soko serve` printed</p>").doesNotContain("<script>")
        .doesNotContain(web.token());
  }

  @Test
  void noInstallIsRunningSoThereIsNothingToCancel() throws Exception {
    RawHttp.Response running = RawHttp.send(web.port(), "GET", "/api/installs", Map.of(), new byte[0]);
    RawHttp.Response cancel = RawHttp.post(web.port(), "/api/cancel", token(), "{\"id\":42}");
    RawHttp.Response notANumber = RawHttp.post(web.port(), "/api/cancel", token(), "{\"id\":\"42\"}");

    assertThat(running.status()).isEqualTo(200);
    assertThat(JSON.readTree(running.body()).get("installs").size()).isZero();
    assertRefused(cancel, 404, "not-found", "no install 42 is running; it may have finished already");
    assertRefused(notANumber, 400, "bad-request", "\"id\" must be a whole number");
  }

  @Test
  void onlyAnInstalledModelCanBeRepairedAndOnlyByItsName() throws Exception {
    RawHttp.Response plan = RawHttp.post(web.port(), "/api/plan", token(), "{\"model\":\"web-remote\",\"repair\":true}");
    RawHttp.Response install = RawHttp.post(web.port(), "/api/install", token(), "{\"model\":\"ja-en\",\"repair\":true}");
    RawHttp.Response flag = RawHttp.post(web.port(), "/api/install", token(), "{\"model\":\"demo-phrasebook\",\"repair\":1}");

    assertRefused(plan, 404, "not-found", "web-remote is not installed, so there is nothing to repair; install it"
        + " from the catalog instead");
    assertRefused(install, 404, "not-found", "ja-en is not installed, so there is nothing to repair; install it"
        + " from the catalog instead");
    assertRefused(flag, 400, "bad-request", "\"repair\" must be true or false");
  }

  @Test
  void repairingAnIntactModelPlansNothingToDownload() throws Exception {
    RawHttp.Response r = RawHttp.post(web.port(), "/api/plan", token(), "{\"model\":\"demo-phrasebook\",\"repair\":true}");

    assertThat(r.status()).isEqualTo(200);
    JsonNode plan = JSON.readTree(r.body());
    assertThat(plan.get("name").asText()).isEqualTo("demo-phrasebook");
    assertThat(plan.get("downloadNeeded").asBoolean()).isFalse();
    assertThat(plan.get("files").size()).isZero();
  }

  @Test
  void unknownPathsAreNotFound() throws Exception {
    RawHttp.Response r = RawHttp.send(web.port(), "GET", "/../../etc/passwd", Map.of(), new byte[0]);

    assertThat(r.status()).isEqualTo(404);
  }
}
