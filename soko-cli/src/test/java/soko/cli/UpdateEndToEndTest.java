package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.catalog.CatalogPublisher;
import soko.catalog.SigningKey;
import soko.manifest.EngineRequirement;
import soko.manifest.Language;
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
import soko.verification.Hashing;

/**
 * {@code soko outdated}, {@code update} and {@code rollback} across two versions of a signed catalog
 * served by nginx, whose files nginx serves too: the update downloads only the file the new version
 * does not share with the old, asks first, keeps the old version, and rollback goes back and forth
 * between two verified versions; gc lets the kept version go; a licence change needs the new
 * licence accepted by name.
 */
class UpdateEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  Cli cli;
  Nginx nginx;
  SigningKey key;
  byte[] shared;
  byte[] weights1;
  byte[] weights2;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(Nginx.available(), () -> "skipped: " + Nginx.unavailableReason().orElse("nginx missing")
        + " (install nginx-light; CI does)");
    nginx = Nginx.start(dir.resolve("nginx"));
    cli = new Cli(dir.resolve("home"));
    key = CatalogPublisher.generateKey();
    CatalogPublisher.writeKey(key, dir.resolve("team.key"), dir.resolve("team.pub.json"), "test publisher");
    shared = served("shared.bin", 300_000, 1);
    weights1 = served("weights-1.bin", 200_000, 2);
    weights2 = served("weights-2.bin", 250_000, 3);
  }

  @AfterEach
  void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
  }

  private byte[] served(String name, int size, long seed) throws Exception {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    Files.write(nginx.root().resolve(name), b);
    return b;
  }

  private ModelFile file(String path, String served, byte[] bytes) {
    return new ModelFile(RelativePath.parse(path), bytes.length, Hashing.sha256(bytes),
        List.of(new SourceUri(nginx.uri("/" + served))));
  }

  private Manifest version(String version, String spdx, byte[] weights, String served) {
    return new Manifest(ModelName.parse("team-asr"), Version.parse(version), "a team model served by nginx",
        List.of(TaskSpec.asr(Language.JA)), new EngineRequirement("whisper.cpp", VersionRange.ANY),
        new License(spdx, URI.create("https://example.org/LICENSE"), "Example attribution"),
        List.of(file("shared.bin", "shared.bin", shared), file("weights.bin", served, weights)), false, Map.of());
  }

  /** Signs catalog {@code version} listing {@code models} and puts it on nginx. */
  private void publish(int version, Manifest... models) throws Exception {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("schemaVersion", 1);
    doc.put("id", "team.models");
    doc.put("version", version);
    doc.put("expires", Instant.now().plus(Duration.ofDays(1)).toString());
    var arr = doc.putArray("models");
    for (Manifest m : models) {
      arr.add(JSON.readTree(ManifestCodec.write(m)));
    }
    Files.write(nginx.root().resolve("catalog.signed.json"),
        CatalogPublisher.sign(JSON.writeValueAsBytes(doc), List.of(key), "team catalog"));
  }

  private Cli.Result ok(String... args) {
    Cli.Result r = cli.run(args);
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  private String installedVersion() throws Exception {
    JsonNode list = JSON.readTree(ok("list", "--json").out());
    return list.get("models").get(0).get("version").asText();
  }

  private List<String> modelFilesServed() throws Exception {
    List<String> out = new ArrayList<>();
    nginx.accessLog().stream().map(Nginx.Entry::path).filter(p -> p.endsWith(".bin")).forEach(out::add);
    return out;
  }

  @Test
  void updateThenRollbackAcrossTwoSignedCatalogVersions() throws Exception {
    Manifest v1 = version("1.0.0", "MIT", weights1, "weights-1.bin");
    Manifest v2 = version("2.0.0", "MIT", weights2, "weights-2.bin");
    publish(1, v1);
    ok("catalog", "add", nginx.uri("/catalog.signed.json").toString(), "--id", "team.models", "--trust",
        dir.resolve("team.pub.json").toString());
    ok("catalog", "update");
    ok("pull", "team-asr", "--yes");
    assertThat(ok("outdated").out()).startsWith("every installed model is up to date\ncatalog team.models as fetched ");

    publish(2, v2);
    ok("catalog", "update");
    JsonNode outdated = JSON.readTree(ok("outdated", "--json").out());
    assertThat(outdated.get("updates")).hasSize(1);
    JsonNode u = outdated.get("updates").get(0);
    assertThat(u.get("name").asText()).isEqualTo("team-asr");
    assertThat(u.get("installed").asText()).isEqualTo("1.0.0");
    assertThat(u.get("available").asText()).isEqualTo("2.0.0");
    assertThat(u.get("downloadBytes").asLong()).as("the shared file is not downloaded again").isEqualTo(weights2.length);
    assertThat(u.get("licenseChanged").asBoolean()).isFalse();

    List<String> before = modelFilesServed();
    Cli.Result dry = ok("update", "--dry-run");
    assertThat(dry.out()).startsWith("would update team-asr 2.0.0: download 244 KiB from 127.0.0.1:" + nginx.port());
    Cli.Result refused = cli.run("update", "team-asr");
    assertThat(refused.code()).as(refused.toString()).isEqualTo(4);
    assertThat(installedVersion()).isEqualTo("1.0.0");
    assertThat(modelFilesServed()).as("no download without consent").isEqualTo(before);

    ok("update", "--yes");
    assertThat(installedVersion()).isEqualTo("2.0.0");
    assertThat(modelFilesServed()).as("only the new file crossed the network").hasSize(before.size() + 1)
        .last().isEqualTo("/weights-2.bin");
    ok("verify", "--full");

    assertThat(ok("rollback", "team-asr").out()).isEqualTo("rolled team-asr back to 1.0.0 (verified)\n");
    assertThat(installedVersion()).isEqualTo("1.0.0");
    ok("verify", "--full");
    JsonNode forward = JSON.readTree(ok("rollback", "team-asr", "--json").out());
    assertThat(forward.get("version").asText()).isEqualTo("2.0.0");
    assertThat(forward.get("previous").asText()).isEqualTo("1.0.0");

    assertThat(ok("gc").out()).contains("dropped team-asr@1.0.0, kept for `soko rollback team-asr`");
    Cli.Result none = cli.run("rollback", "team-asr");
    assertThat(none.code()).as(none.toString()).isEqualTo(1);
    assertThat(none.err()).startsWith("soko: team-asr has no previous version to roll back to");
    ok("verify", "--full");
    assertThat(installedVersion()).isEqualTo("2.0.0");
  }

  @Test
  void outdatedOfflineSaysHowOldEachCatalogIs() throws Exception {
    publish(1, version("1.0.0", "MIT", weights1, "weights-1.bin"));
    ok("catalog", "add", nginx.uri("/catalog.signed.json").toString(), "--id", "team.models", "--trust",
        dir.resolve("team.pub.json").toString());
    String neverFetched = ok("outdated", "--offline").out();
    ok("catalog", "update");
    Path envelopes = dir.resolve("home/data/state/catalog-envelopes");
    Path envelope;
    try (var files = Files.list(envelopes)) {
      envelope = files.findFirst().orElseThrow();
    }
    Instant fetched = Instant.now().minus(Duration.ofDays(3)).minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
    Files.setLastModifiedTime(envelope, java.nio.file.attribute.FileTime.from(fetched)); // as if fetched then

    String text = ok("outdated", "--offline").out();
    JsonNode json = JSON.readTree(ok("outdated", "--offline", "--json").out());

    assertThat(neverFetched).isEqualTo("every installed model is up to date\n"
        + "catalog team.models was never fetched: run `soko catalog update`\n");
    assertThat(text).isEqualTo("every installed model is up to date\ncatalog team.models as fetched " + fetched
        + " (3 days ago); `soko catalog update` fetches it again\n");
    JsonNode c = json.get("catalogs").get(0);
    assertThat(c.get("id").asText()).isEqualTo("team.models");
    assertThat(c.get("url").asText()).isEqualTo(nginx.uri("/catalog.signed.json").toString());
    assertThat(c.get("fetchedAt").asText()).isEqualTo(fetched.toString());
    assertThat(c.get("ageSeconds").asLong()).isBetween(Duration.ofHours(74).toSeconds(), Duration.ofHours(75).toSeconds());
  }

  @Test
  void aLicenceChangeNeedsTheNewLicenceAcceptedByName() throws Exception {
    Manifest v1 = version("1.0.0", "MIT", weights1, "weights-1.bin");
    publish(1, v1);
    ok("catalog", "add", nginx.uri("/catalog.signed.json").toString(), "--id", "team.models", "--trust",
        dir.resolve("team.pub.json").toString());
    ok("catalog", "update");
    ok("pull", "team-asr", "--yes");
    publish(2, version("2.0.0", "Apache-2.0", weights2, "weights-2.bin"));
    ok("catalog", "update");

    assertThat(ok("outdated").out()).startsWith("team-asr 1.0.0 -> 2.0.0, download 244 KiB, licence changes from MIT to"
        + " Apache-2.0\ncatalog team.models as fetched ");
    Cli.Result refused = cli.run("update", "team-asr", "--yes");
    assertThat(refused.code()).as(refused.toString()).isEqualTo(4);
    assertThat(refused.err()).isEqualTo("soko: the licence of team-asr changes from MIT to Apache-2.0 in 2.0.0"
        + " (https://example.org/LICENSE): read it, then run again with --accept-license Apache-2.0\n");
    assertThat(installedVersion()).isEqualTo("1.0.0");

    ok("update", "team-asr", "--yes", "--accept-license", "Apache-2.0");
    assertThat(installedVersion()).isEqualTo("2.0.0");
  }

  @Test
  void anUpdateKilledMidDownloadLeavesTheOldVersionVerifiedAndTheNextRunCompletes() throws Exception {
    byte[] big = served("weights-big.bin", 4 * 1024 * 1024, 4); // served rate-limited at /slow/
    Manifest v1 = version("1.0.0", "MIT", weights1, "weights-1.bin");
    publish(1, v1);
    ok("catalog", "add", nginx.uri("/catalog.signed.json").toString(), "--id", "team.models", "--trust",
        dir.resolve("team.pub.json").toString());
    ok("catalog", "update");
    ok("pull", "team-asr", "--yes");
    publish(2, version("2.0.0", "MIT", big, "slow/weights-big.bin"));
    ok("catalog", "update");

    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--home", dir.resolve("home").toString(), "update", "team-asr", "--yes")
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    Path downloads = dir.resolve("home/cache/downloads");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long partial = 0;
    while (System.nanoTime() < deadline && partial < 1_000_000 && child.isAlive()) {
      partial = partialSize(downloads);
      Thread.sleep(50);
    }
    assertThat(partial).as("the child was mid-download; its log: %s", Files.exists(dir.resolve("child.log"))
        ? Files.readString(dir.resolve("child.log")) : "").isBetween(1_000_000L, (long) big.length - 1);
    child.destroyForcibly(); // SIGKILL: no shutdown hooks
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(installedVersion()).isEqualTo("1.0.0");
    ok("verify", "--full");
    ok("update", "team-asr", "--yes");
    assertThat(installedVersion()).isEqualTo("2.0.0");
    ok("verify", "--full");
    ok("rollback", "team-asr");
    assertThat(installedVersion()).isEqualTo("1.0.0");
    ok("verify", "--full");
  }

  private static long partialSize(Path downloads) throws java.io.IOException {
    if (!Files.isDirectory(downloads)) {
      return 0;
    }
    try (var s = Files.list(downloads)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".partial")).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
