package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
import soko.manifest.Language;
import soko.manifest.License;
import soko.manifest.Manifest;
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
 * {@code soko show}, {@code --dry-run} on install, pull and rm, and {@code soko import}, against a
 * signed catalog whose model is served by nginx on loopback (whose log shows what was fetched).
 */
class ShowImportDryRunTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  Nginx nginx;
  Cli cli;
  byte[] bytes;
  Manifest model;

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeTrue(Nginx.available(), () -> "skipped: " + Nginx.unavailableReason().orElse(""));
    nginx = Nginx.start(dir.resolve("nginx"));
    cli = new Cli(dir.resolve("home"));
    bytes = new byte[200_000];
    new Random(7).nextBytes(bytes);
    Files.write(nginx.root().resolve("model.bin"), bytes);
    model = new Manifest(ModelName.parse("mirror-asr"), Version.parse("1.0.0"), "a model served by nginx",
        List.of(TaskSpec.asr(Language.JA)), new EngineRequirement("whisper.cpp", VersionRange.ANY),
        new License("MIT", URI.create("https://example.org/LICENSE"), "Example attribution"),
        List.of(new ModelFile(RelativePath.parse("model.bin"), bytes.length, Hashing.sha256(bytes),
            List.of(new SourceUri(nginx.uri("/model.bin"))))), false, Map.of());
    publishCatalog(model);
  }

  @AfterEach
  void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
  }

  void publishCatalog(Manifest m) throws Exception {
    SignedCatalog.publish(cli, dir, "test.models", List.of(m),
        Optional.of(new SignedCatalog.Alias("ja-test", "asr", "ja", m.name().value())));
  }

  JsonNode json(Cli.Result r) throws Exception {
    assertThat(r.code()).as(r.toString()).isZero();
    return JSON.readTree(r.out());
  }

  @Test
  void showOfACatalogModelNotInstalledSendsNothingAndSaysWhereItComesFrom() throws Exception {
    JsonNode show = json(cli.run("show", "mirror-asr", "--json"));

    assertThat(show.get("installed").asBoolean()).isFalse();
    assertThat(show.get("state").isNull()).isTrue();
    assertThat(show.get("availableVersions").toString()).isEqualTo("[\"1.0.0\"]");
    assertThat(show.get("aliases").toString()).isEqualTo("[\"ja-test\"]");
    assertThat(show.get("catalogs").toString()).isEqualTo("[\"test.models\"]");
    assertThat(show.get("sources").toString()).isEqualTo("[\"127.0.0.1:" + nginx.port() + "\"]");
    assertThat(show.get("license").get("attribution").asText()).isEqualTo("Example attribution");
    assertThat(show.get("files").get(0).get("sha256").asText()).isEqualTo(Hashing.sha256(bytes).hex());
    assertThat(show.get("files").get(0).get("state").isNull()).isTrue();
    assertThat(show.get("diskBytes").asLong()).isZero();
    assertThat(nginx.accessLog()).isEmpty();
  }

  @Test
  void showOfAnAliasSaysWhatPullingItInstallsHere() throws Exception {
    JsonNode show = json(cli.run("show", "ja-test", "--json"));

    assertThat(show.get("name").asText()).isEqualTo("mirror-asr");
    assertThat(show.get("recommendation").get("alias").asText()).isEqualTo("ja-test");
    Cli.Result text = cli.run("show", "ja-test");
    assertThat(text.out()).startsWith("ja-test: mirror-asr 1.0.0 (").contains("\nmirror-asr@1.0.0\n")
        .contains("installed:   no\n");
  }

  @Test
  void showOfAnInstalledModelGivesEachFileItsStateAndBlob() throws Exception {
    assertThat(cli.run("install", "silero-vad").code()).isZero();

    JsonNode show = json(cli.run("show", "silero-vad", "--json"));

    assertThat(show.get("installed").asBoolean()).isTrue();
    JsonNode file = show.get("files").get(0);
    assertThat(file.get("state").asText()).isIn("verified", "unverified");
    assertThat(Path.of(file.get("blob").asText())).isRegularFile().hasSize(file.get("size").asLong());
    assertThat(show.get("diskBytes").asLong()).isEqualTo(show.get("size").asLong());
    assertThat(show.get("installedVersions").size()).isEqualTo(1);
  }

  @Test
  void showOfAnUnknownNameExitsWithTheCatalogHint() {
    Cli.Result r = cli.run("show", "no-such-model");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no model or alias named \"no-such-model\"");
  }

  @Test
  void installAndPullDryRunPrintThePlanAndFetchNothing() throws Exception {
    Cli.Result text = cli.run("install", "mirror-asr", "--dry-run");
    JsonNode plan = json(cli.run("pull", "ja-test", "--dry-run", "--json"));

    assertThat(text.code()).as(text.toString()).isZero();
    assertThat(text.out()).startsWith("would install mirror-asr 1.0.0: download 195 KiB from 127.0.0.1:"
        + nginx.port() + "; ");
    assertThat(plan.get("dryRun").asBoolean()).isTrue();
    assertThat(plan.get("bytesToDownload").asLong()).isEqualTo(bytes.length);
    assertThat(plan.get("hosts").toString()).isEqualTo("[\"127.0.0.1:" + nginx.port() + "\"]");
    assertThat(plan.get("recommendation").get("model").asText()).isEqualTo("mirror-asr");
    assertThat(nginx.accessLog()).isEmpty();
    assertThat(json(cli.run("list", "--json")).get("models").size()).isZero();
  }

  @Test
  void installOfARegistryReferenceIsTakenAsPullTakesIt() {
    Cli.Result r = cli.run("install", "oci://127.0.0.1:5000/models/x:1.0.0", "--dry-run");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("would pull oci://127.0.0.1:5000/models/x:1.0.0; a dry run does not contact the"
        + " registry, so the sizes are not known\n");
  }

  @Test
  void rmDryRunSaysWhatWouldBeFreedAndKeepsTheModel() throws Exception {
    assertThat(cli.run("install", "mirror-asr", "--yes").code()).isZero();

    JsonNode plan = json(cli.run("rm", "mirror-asr", "--dry-run", "--json"));
    Cli.Result text = cli.run("rm", "mirror-asr", "--dry-run");

    assertThat(plan.get("bytesFreed").asLong()).isEqualTo(bytes.length);
    assertThat(plan.get("blobsFreed").asInt()).isEqualTo(1);
    assertThat(text.out()).isEqualTo("would remove mirror-asr@1.0.0, freeing 195 KiB\n");
    assertThat(json(cli.run("list", "--json")).get("models").size()).isEqualTo(1);
  }

  @Test
  void importAdoptsAFileWhoseSizeAndSha256MatchACatalogModelWithoutTouchingIt() throws Exception {
    Path mine = Files.createDirectories(dir.resolve("Downloads")).resolve("whatever-name.bin");
    Files.write(mine, bytes);
    FileTime before = Files.getLastModifiedTime(mine);
    var perms = Files.getPosixFilePermissions(mine);

    Cli.Result r = cli.run("import", mine.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("installed mirror-asr@1.0.0 (1 file(s), 195 KiB written and verified)\n");
    assertThat(nginx.accessLog()).as("copied from the user's file, not downloaded").isEmpty();
    assertThat(mine).hasBinaryContent(bytes);
    assertThat(Files.getLastModifiedTime(mine)).isEqualTo(before);
    assertThat(Files.getPosixFilePermissions(mine)).isEqualTo(perms);
    JsonNode show = json(cli.run("show", "mirror-asr", "--json"));
    Path blob = Path.of(show.get("files").get(0).get("blob").asText());
    assertThat(Files.isSameFile(blob, mine)).as("a copy, not a link").isFalse();
    assertThat(show.get("origin").asText()).isEqualTo("import:" + mine);
  }

  @Test
  void importOfAFolderFindsTheMatchingFileAmongOthers() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("models/sub"));
    Files.writeString(dir.resolve("models/notes.txt"), "not a model");
    Files.write(folder.resolve("renamed.bin"), bytes);

    Cli.Result r = cli.run("import", dir.resolve("models").toString(), "--json");

    JsonNode result = json(r);
    assertThat(result.get("name").asText()).isEqualTo("mirror-asr");
    assertThat(result.get("bytesWritten").asLong()).isEqualTo(bytes.length);
    assertThat(nginx.accessLog()).isEmpty();
  }

  @Test
  void importOfAFileNoCatalogModelHasSaysSoAndInstallsNothing() throws Exception {
    Path other = dir.resolve("other.bin");
    byte[] same = bytes.clone();
    same[0] ^= 1; // the same size, another sha256
    Files.write(other, same);

    Cli.Result r = cli.run("import", other.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no file of " + other + " has the size and sha256 of a file of any model of the"
        + " catalogs; `soko catalog` lists the models, and `soko manifest create` describes a model of your own");
    assertThat(json(cli.run("list", "--json")).get("models").size()).isZero();
    assertThat(nginx.accessLog()).isEmpty();
  }

  @Test
  void importWithAsNamingAnotherModelRefusesTheFile() throws Exception {
    Path mine = dir.resolve("m.bin");
    Files.write(mine, bytes);

    Cli.Result r = cli.run("import", mine.toString(), "--as", "silero-vad");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("has the size and sha256 of a file of silero-vad");
  }
}
