package soko.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.app.Bundles;
import soko.app.Consent;
import soko.events.ProgressListener;
import soko.manifest.SourceUri;
import soko.app.Soko;

/**
 * {@code POST /api/bundle/import}: the page's {@code soko bundle import FILE}. A good bundle installs
 * its models; a hostile one is refused with the CLI's message (naming the chosen file), installs
 * nothing and leaves nothing behind, in the uploads folder or outside the store.
 */
class BundleUploadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path dir;
  Soko soko;
  WebServer web;

  @BeforeEach
  void start() throws Exception {
    soko = Fixtures.soko(dir.resolve("home"));
    web = Fixtures.serve(soko);
  }

  @AfterEach
  void stop() {
    Fixtures.stop(web);
  }

  private RawHttp.Response upload(String name, byte[] bytes) throws Exception {
    return RawHttp.send(web.port(), "POST", "/api/bundle/import", Map.of(Guard.TOKEN_HEADER, web.token(),
        "Content-Type", "application/x-tar", BundleUpload.NAME_HEADER, URLEncoder.encode(name, StandardCharsets.UTF_8)),
        bytes);
  }

  /** A bundle of demo-phrasebook (a model the built-in catalog vouches for), written by another Soko. */
  private byte[] goodBundle() throws Exception {
    Soko other = Fixtures.soko(dir.resolve("other"));
    other.install("demo-phrasebook");
    Path tar = dir.resolve("export/demo.tar");
    Files.createDirectories(tar.getParent());
    new Bundles(other).export(List.of("demo-phrasebook"), tar, false);
    return Files.readAllBytes(tar);
  }

  private Path uploads() {
    return soko.settings().roots().cache().resolve("uploads");
  }

  private static List<String> children(Path folder) throws Exception {
    if (!Files.exists(folder)) {
      return List.of();
    }
    try (var s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  /** Runs GNU tar in {@code work}: the bundles a hostile sender could make with a common tool. */
  private static void tar(Path work, String... args) throws Exception {
    Process p = new ProcessBuilder(java.util.stream.Stream.concat(java.util.stream.Stream.of("tar"),
        java.util.Arrays.stream(args)).toList()).directory(work.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void aGoodBundleInstallsItsVouchedModelUnderTheChosenNameAndLeavesNoUploadBehind() throws Exception {
    byte[] bundle = goodBundle();

    RawHttp.Response r = upload("models for the laptop.tar", bundle);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode j = JSON.readTree(r.body());
    assertThat(j.get("file").asText()).isEqualTo("models for the laptop.tar");
    assertThat(j.at("/models/0/model").asText()).isEqualTo("demo-phrasebook@1.0.0");
    assertThat(j.at("/models/0/signed").asBoolean()).isTrue();
    assertThat(j.at("/models/0/origin").asText()).isEqualTo(Bundles.ORIGIN_PREFIX + "models for the laptop.tar");
    assertThat(soko.isVerified("demo-phrasebook")).isTrue();
    assertThat(children(uploads())).isEmpty();
  }

  @Test
  void hostileBundlesAreRefusedWithTheClisMessageNamingTheChosenFileAndNothingIsLeft() throws Exception {
    Path work = Files.createDirectories(dir.resolve("evil/inner"));
    Files.writeString(work.getParent().resolve("pwned"), "x");
    tar(work, "-cPf", "../climb.tar", "../pwned");
    Files.createSymbolicLink(work.resolve("passwd"), Path.of("/etc/passwd"));
    tar(work, "-cf", "../link.tar", "passwd");
    Files.write(work.resolve("weights.bin"), Fixtures.bytes(8192, 5));
    tar(work, "-czf", "../gz.tar", "weights.bin");
    Map<String, String> cases = Map.of(
        "climb.tar", "entry \"../pwned\" climbs out with \"..\"; refused",
        "link.tar", "is a symbolic link (to \"/etc/passwd\"); a bundle holds plain files only",
        "gz.tar", "is gzip-compressed; a bundle is a plain .tar",
        "zip.tar", "is not a tar archive");
    Files.write(dir.resolve("evil/zip.tar"), "PK\u0003\u0004 a zip file, not a tar".repeat(40).getBytes(StandardCharsets.ISO_8859_1));
    Map<String, String> outside = Fixtures.snapshot(dir.resolve("evil"));

    for (Map.Entry<String, String> c : cases.entrySet()) {
      RawHttp.Response r = upload(c.getKey(), Files.readAllBytes(dir.resolve("evil").resolve(c.getKey())));

      assertThat(r.status()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
      JsonNode e = JSON.readTree(r.body()).get("error");
      assertThat(e.get("type").asText()).isEqualTo("invalid-input");
      assertThat(e.get("message").asText()).as(c.getKey()).contains(c.getValue()).contains(c.getKey())
          .doesNotContain(uploads().toString()).doesNotContain("\n");
    }
    assertThat(soko.list()).as("nothing installed").isEmpty();
    assertThat(children(uploads())).as("no upload left behind").isEmpty();
    assertThat(Fixtures.snapshot(dir.resolve("evil"))).as("nothing written beside the sender's files").isEqualTo(outside);
    assertThat(Files.exists(soko.settings().roots().cache().resolve("pwned"))).isFalse();
  }

  /**
   * A request that declares one byte over the limit and then ends its side of the connection (the
   * server reads what is left of a refused body before it closes, so the bytes are not sent).
   */
  private String declaringMoreThanTheLimit() throws Exception {
    try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), web.port())) {
      s.setSoTimeout(20_000);
      String head = "POST /api/bundle/import HTTP/1.1\r\nHost: 127.0.0.1:" + web.port() + "\r\nX-Soko-Key: " + RawHttp.key
          + "\r\n" + Guard.TOKEN_HEADER + ": " + web.token() + "\r\nContent-Type: application/x-tar\r\nContent-Length: "
          + (BundleUpload.MAX_BYTES + 1) + "\r\nConnection: close\r\n\r\n";
      s.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
      s.shutdownOutput();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void anUploadRemovesWhatUploadsCutOffADayAgoLeftButNotNewerOnesOrARegistryPushsState() throws Exception {
    Path old = Files.createDirectories(uploads().resolve("bundle-123"));
    Files.writeString(old.resolve("cut off.tar"), "the first bytes of a bundle");
    Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(2))));
    Path recent = Files.createDirectories(uploads().resolve("bundle-456"));
    Files.writeString(recent.resolve("arriving.tar"), "an upload in progress");
    Path push = Files.writeString(uploads().resolve("9c1d2e3f4a5b-60ed5bc3.upload.json"), "{}");

    RawHttp.Response r = upload("zip.tar", "PK\u0003\u0004 not a tar".repeat(40).getBytes(StandardCharsets.ISO_8859_1));

    assertThat(r.status()).isEqualTo(400);
    assertThat(children(uploads())).containsExactlyInAnyOrder("bundle-456", push.getFileName().toString());
    assertThat(children(recent)).containsExactly("arriving.tar");
  }

  @Test
  void anUploadOverTheLimitWithoutALengthOfAnotherTypeOrWithAPathForANameIsRefusedBeforeAnythingIsWritten()
      throws Exception {
    Map<String, String> token = Map.of(Guard.TOKEN_HEADER, web.token(), "Content-Type", "application/x-tar");
    String big = declaringMoreThanTheLimit();
    RawHttp.Response json = RawHttp.post(web.port(), "/api/bundle/import", Map.of(Guard.TOKEN_HEADER, web.token()), "{}");
    RawHttp.Response path = upload("../../outside.tar", "x".getBytes(StandardCharsets.UTF_8));
    RawHttp.Response empty = RawHttp.send(web.port(), "POST", "/api/bundle/import", token, new byte[0]);
    RawHttp.Response noToken = RawHttp.send(web.port(), "POST", "/api/bundle/import",
        Map.of("Content-Type", "application/x-tar"), "x".getBytes(StandardCharsets.UTF_8));
    RawHttp.Response foreign = RawHttp.send(web.port(), "POST", "/api/bundle/import", Map.of(Guard.TOKEN_HEADER,
        web.token(), "Content-Type", "application/x-tar", "Origin", "http://evil.example"), "x".getBytes(StandardCharsets.UTF_8));

    assertThat(big).startsWith("HTTP/1.1 413 ");
    assertThat(JSON.readTree(big.substring(big.indexOf("\r\n\r\n") + 4)).at("/error/message").asText()).isEqualTo("the bundle is "
        + (BundleUpload.MAX_BYTES + 1) + " bytes; the page takes at most " + BundleUpload.MAX_BYTES
        + ": import it with `soko bundle import FILE` instead");
    assertThat(json.status()).isEqualTo(415);
    assertThat(path.status()).isEqualTo(400);
    assertThat(JSON.readTree(path.body()).at("/error/type").asText()).isEqualTo("invalid-input");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(noToken.status()).isEqualTo(403);
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(children(uploads())).isEmpty();
    assertThat(Files.exists(dir.resolve("outside.tar"))).isFalse();
  }

  @Test
  void aCacheClearOnThePageDuringAnUploadKeepsItAndTheImportThenSucceeds() throws Exception {
    byte[] bundle = goodBundle();
    Path stale = Files.createDirectories(uploads().resolve("bundle-789"));
    Files.writeString(stale.resolve("left.tar"), "left by a server that is gone");
    Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
    try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), web.port())) {
      s.setSoTimeout(60_000);
      String head = "POST /api/bundle/import HTTP/1.1\r\nHost: 127.0.0.1:" + web.port() + "\r\nX-Soko-Key: " + RawHttp.key
          + "\r\n" + Guard.TOKEN_HEADER + ": " + web.token() + "\r\nContent-Type: application/x-tar\r\n"
          + BundleUpload.NAME_HEADER + ": slow.tar\r\nContent-Length: " + bundle.length + "\r\nConnection: close\r\n\r\n";
      var out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.UTF_8));
      out.write(bundle, 0, bundle.length / 2);
      out.flush();
      Path receiving = null;
      while (receiving == null) { // waits for the server to start receiving (no time limit asserted)
        try (var folders = Files.list(uploads())) {
          receiving = folders.filter(f -> f.getFileName().toString().startsWith("bundle-") && !f.equals(stale))
              .filter(f -> Files.exists(f.resolve("slow.tar"))).findFirst().orElse(null);
        }
        Thread.sleep(20);
      }

      RawHttp.Response clear = RawHttp.post(web.port(), "/api/cache/clear", Map.of(Guard.TOKEN_HEADER, web.token()), "{}");

      assertThat(clear.status()).as(clear.body()).isEqualTo(200);
      assertThat(receiving.resolve("slow.tar")).exists();
      assertThat(stale).doesNotExist();
      out.write(bundle, bundle.length / 2, bundle.length - bundle.length / 2);
      out.flush();
      String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(reply).startsWith("HTTP/1.1 200 ");
    }
    assertThat(soko.isVerified("demo-phrasebook")).isTrue();
    assertThat(children(uploads())).isEmpty();
  }

  @org.junit.jupiter.api.RepeatedTest(10) // before the fix, 3 of 30 such requests ended in a reset
  void aRealHttpClientSendingABodyOverTheLimitGets413NotAReset() throws Exception {
    // The client announces one byte over the limit and would stream zeros for ever: the server must
    // answer before reading the body, and the client must see that answer, not a reset connection.
    java.io.InputStream zeros = new java.io.InputStream() {
      @Override
      public int read() {
        return 0;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) 0);
        return len;
      }
    };
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + web.port() + "/api/bundle/import"))
        .header("X-Soko-Key", RawHttp.key).header(Guard.TOKEN_HEADER, web.token()).header("Content-Type", "application/x-tar")
        .POST(java.net.http.HttpRequest.BodyPublishers.fromPublisher(
            java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> zeros), BundleUpload.MAX_BYTES + 1))
        .build();
    java.net.http.HttpResponse<String> r;
    try (java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build()) {
      r = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(r.body()).at("/error/type").asText()).isEqualTo("too-large");
    assertThat(children(uploads())).isEmpty();
  }

  @Test
  void anUnsignedNonCommercialModelNeedsTheClisTwoChoicesOnThePageToo() throws Exception {
    Soko other = Fixtures.soko(dir.resolve("other-nc"));
    byte[] content = Fixtures.bytes(64, 31);
    Path src = Files.createDirectories(dir.resolve("nc-src")).resolve("team-nc.bin");
    Files.write(src, content);
    other.install(Fixtures.nonCommercial(Fixtures.model("team-nc", "a team model no catalog lists", content,
        SourceUri.parse(src.toUri().toString()))), "file:" + src,
        Consent.REFUSE.acceptingLicenses(java.util.Set.of("CC-BY-NC-4.0")), ProgressListener.NONE);
    Path tar = Files.createDirectories(dir.resolve("nc-export")).resolve("nc.tar");
    new Bundles(other).export(List.of("team-nc"), tar, false);
    byte[] bundle = Files.readAllBytes(tar);

    RawHttp.Response plain = importWith(bundle, Map.of());
    RawHttp.Response trustOnly = importWith(bundle, Map.of(BundleUpload.TRUST_UNSIGNED_HEADER, "yes"));
    RawHttp.Response badTrust = importWith(bundle, Map.of(BundleUpload.TRUST_UNSIGNED_HEADER, "true"));
    RawHttp.Response badLicense = importWith(bundle, Map.of(BundleUpload.ACCEPT_LICENSE_HEADER, "CC BY; NC"));
    assertThat(soko.isVerified("team-nc")).as("nothing installed yet").isFalse();
    RawHttp.Response both = importWith(bundle, Map.of(BundleUpload.TRUST_UNSIGNED_HEADER, "yes",
        BundleUpload.ACCEPT_LICENSE_HEADER, "MIT, CC-BY-NC-4.0"));

    assertThat(plain.status()).as(plain.body()).isBetween(400, 499);
    assertThat(JSON.readTree(plain.body()).at("/error/message").asText())
        .isEqualTo("bundle nc.tar: no catalog this machine trusts vouches for team-nc@1.0.0; add the catalog that publishes"
            + " it (`soko catalog add`), or pass --trust-unsigned to install unsigned models anyway");
    assertThat(trustOnly.status()).as(trustOnly.body()).isBetween(400, 499);
    assertThat(JSON.readTree(trustOnly.body()).at("/error/message").asText()).contains("--accept-license");
    assertThat(badTrust.status()).isEqualTo(400);
    assertThat(badLicense.status()).isEqualTo(400);
    assertThat(both.status()).as(both.body()).isEqualTo(200);
    assertThat(JSON.readTree(both.body()).at("/models/0/signed").asBoolean()).isFalse();
    assertThat(soko.isVerified("team-nc")).isTrue();
    assertThat(children(uploads())).isEmpty();
  }

  private RawHttp.Response importWith(byte[] bundle, Map<String, String> choices) throws Exception {
    Map<String, String> headers = new java.util.HashMap<>(Map.of(Guard.TOKEN_HEADER, web.token(),
        "Content-Type", "application/x-tar", BundleUpload.NAME_HEADER, "nc.tar"));
    headers.putAll(choices);
    return RawHttp.send(web.port(), "POST", "/api/bundle/import", headers, bundle);
  }
}
