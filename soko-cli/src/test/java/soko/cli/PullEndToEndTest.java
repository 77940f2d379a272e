package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import soko.testkit.ggml.WhisperTestModel;
import soko.testkit.nginx.Nginx;
import soko.verification.Hashing;
import soko.testkit.RequiredTool;

/**
 * {@code soko pull ja-asr --yes} against a local nginx mirror listed in a signed remote catalog:
 * consent, progress, verification, and resume after {@code kill -9}.
 */
class PullEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  Nginx nginx;
  Cli cli;

  @BeforeEach
  void setUp() throws Exception {
    RequiredTool.require(Nginx.unavailableReason());
    nginx = Nginx.start(dir.resolve("nginx"));
    cli = new Cli(dir.resolve("home"));
  }

  @AfterEach
  void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
  }

  Manifest model(String name, String file, byte[] bytes, URI url, TaskSpec task, String engine) {
    return new Manifest(ModelName.parse(name), Version.parse("1.0.0"), "test model served by nginx", List.of(task),
        new EngineRequirement(engine, VersionRange.ANY),
        new License("MIT", URI.create("https://example.org/LICENSE"), "Example attribution"),
        List.of(new ModelFile(RelativePath.parse(file), bytes.length, Hashing.sha256(bytes),
            List.of(new SourceUri(url)))), false, Map.of());
  }

  /** Publishes a signed catalog with the given models and a ja-asr alias to the first, and configures it. */
  void publishCatalog(List<Manifest> models) throws Exception {
    SignedCatalog.publish(cli, dir, "test.models", models,
        Optional.of(new SignedCatalog.Alias("ja-asr", "asr", "ja", models.get(0).name().value())));
  }

  @Test
  void pullJaAsrWithYesInstallsAVerifiedWhisperModelAndRefusalSendsNoRequest() throws Exception {
    byte[] ggml = WhisperTestModel.tinyMultilingual().toBytes();
    Files.write(nginx.root().resolve("ggml-test.bin"), ggml);
    Manifest whisper = model("whisper-test", "ggml-test.bin", ggml, nginx.uri("/ggml-test.bin"),
        TaskSpec.asr(Language.JA, Language.KO), "whisper.cpp");
    publishCatalog(List.of(whisper));

    Cli.Result refused = cli.run("pull", "ja-asr");
    assertThat(refused.code()).as(refused.toString()).isEqualTo(4);
    assertThat(refused.err()).contains("the download was not approved (whisper-test 1.0.0: download ")
        .contains("from 127.0.0.1:" + nginx.port());
    Cli.Result offline = cli.run("pull", "ja-asr", "--yes", "--offline");
    assertThat(offline.code()).isEqualTo(4);
    assertThat(nginx.accessLog()).as("no request without consent or while offline").isEmpty();

    Cli.Result pulled = cli.run("pull", "ja-asr", "--yes", "--json");
    assertThat(pulled.code()).as(pulled.toString()).isZero();
    List<JsonNode> lines = pulled.out().lines().map(l -> {
      try {
        return JSON.readTree(l);
      } catch (Exception e) {
        throw new IllegalStateException(l, e);
      }
    }).toList();
    assertThat(lines).extracting(n -> n.path("event").asText("result"))
        .startsWith("started").contains("done").endsWith("result");
    assertThat(nginx.accessLog()).singleElement().satisfies(e -> assertThat(e.bodyBytesSent()).isEqualTo(ggml.length));

    JsonNode list = JSON.readTree(cli.run("list", "--json").out());
    assertThat(list.get("models")).singleElement().satisfies(m -> {
      assertThat(m.get("name").asText()).isEqualTo("whisper-test");
      assertThat(m.get("state").asText()).isEqualTo("verified");
      assertThat(m.get("origin").asText()).isEqualTo("catalog");
    });
    assertThat(cli.run("verify", "--full").code()).isZero();
  }

  @Test
  void aPullKilledWithSigkillResumesAndOnlyTheRemainingBytesAreSent() throws Exception {
    byte[] big = new byte[6 * 1024 * 1024];
    new Random(42).nextBytes(big);
    Files.write(nginx.root().resolve("big.bin"), big); // served at /slow/big.bin, rate-limited
    Manifest m = model("big-model", "big.bin", big, nginx.uri("/slow/big.bin"), TaskSpec.asr(Language.JA), "whisper.cpp");
    publishCatalog(List.of(m));

    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--home", dir.resolve("home").toString(), "pull", "big-model", "--yes")
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    Path downloads = dir.resolve("home/cache/downloads");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long partial = 0;
    while (System.nanoTime() < deadline && partial < 1_500_000) {
      partial = partialSize(downloads);
      Thread.sleep(50);
    }
    assertThat(partial).as("the child was mid-download; its log: %s; nginx: %s",
        Files.exists(dir.resolve("child.log")) ? Files.readString(dir.resolve("child.log")) : "", nginx.accessLog())
        .isBetween(1_500_000L, (long) big.length - 1);
    child.destroyForcibly(); // SIGKILL: no shutdown hooks, no checkpoint
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long kept = partialSize(downloads);
    nginx.awaitEntries(1, Duration.ofSeconds(10));

    Cli.Result resumed = cli.run("pull", "big-model", "--yes");
    assertThat(resumed.code()).as(resumed.toString()).isZero();

    List<Nginx.Entry> log = nginx.awaitEntries(2, Duration.ofSeconds(10));
    assertThat(log).hasSize(2);
    Nginx.Entry second = log.get(1);
    assertThat(second.status()).isEqualTo(206);
    assertThat(second.range()).isEqualTo("bytes=" + kept + "-");
    assertThat(second.bodyBytesSent()).as("only the remaining bytes").isEqualTo(big.length - kept);
    long total = log.get(0).bodyBytesSent() + second.bodyBytesSent();
    System.out.printf("resume after kill -9 at %d of %d bytes: %d bytes sent in all (%.4f x the file)%n",
        kept, big.length, total, (double) total / big.length);
    assertThat(cli.run("verify", "big-model", "--full").code()).isZero();
  }

  @Test
  void twoPullsOfTheSameModelAtOnceDownloadItOnceAndBothReportItInstalled() throws Exception {
    // /slow/: about 20 s at nginx's limit_rate, long enough for the second JVM to start on a busy
    // machine while the first still downloads (8 MiB was not, under load).
    byte[] big = new byte[20 * 1024 * 1024];
    new Random(7).nextBytes(big);
    Files.write(nginx.root().resolve("twice.bin"), big);
    Manifest m = model("twice-model", "twice.bin", big, nginx.uri("/slow/twice.bin"), TaskSpec.asr(Language.JA), "whisper.cpp");
    publishCatalog(List.of(m));
    String java = ProcessHandle.current().info().command().orElse("java");
    List<Process> pulls = new java.util.ArrayList<>();
    for (String name : List.of("first", "second")) {
      pulls.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "--home", dir.resolve("home").toString(), "pull", "twice-model", "--yes", "--json")
          .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile()).start());
      if (name.equals("first")) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (partialSize(dir.resolve("home/cache/downloads")) == 0 && System.nanoTime() < deadline) {
          Thread.sleep(20); // the second starts once the first is downloading
        }
      }
    }
    for (Process p : pulls) {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    }

    for (String name : List.of("first", "second")) {
      assertThat(pulls.get(name.equals("first") ? 0 : 1).exitValue())
          .as("%s: %s %s", name, Files.readString(dir.resolve(name + ".out")), Files.readString(dir.resolve(name + ".err")))
          .isZero();
    }
    String second = Files.readString(dir.resolve("second.out"));
    assertThat(second).contains("waiting for another Soko process to finish installing this file");
    JsonNode result = JSON.readTree(second.lines().reduce((a, b) -> b).orElseThrow());
    assertThat(result.get("name").asText()).isEqualTo("twice-model");
    assertThat(result.get("alreadyInstalled").asBoolean()).as(second).isTrue();
    List<Nginx.Entry> log = nginx.awaitEntries(1, Duration.ofSeconds(10));
    assertThat(log).as("the file crossed the network once").singleElement()
        .satisfies(e -> assertThat(e.bodyBytesSent()).isEqualTo(big.length));
    assertThat(cli.run("verify", "twice-model", "--full").code()).isZero();
  }

  @Test
  void aPullWhoseSourceSendsOtherBytesExitsThreeAsAnIntegrityFailure() throws Exception {
    byte[] bytes = new byte[100_000];
    new Random(3).nextBytes(bytes);
    Manifest m = model("wrong-model", "wrong.bin", bytes, nginx.uri("/wrong.bin"), TaskSpec.asr(Language.JA), "whisper.cpp");
    bytes[50_000] ^= 1;
    Files.write(nginx.root().resolve("wrong.bin"), bytes); // the same size, other bytes
    Path manifest = dir.resolve("wrong.json");
    Files.write(manifest, ManifestCodec.write(m));

    Cli.Result r = cli.run("--json", "pull", manifest.toString(), "--yes");

    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    // The progress events, one per line, then the error object (printed over several lines).
    JsonNode error = JSON.readTree(r.out().substring(r.out().indexOf("{\n"))).get("error");
    assertThat(error.get("type").asText()).isEqualTo("integrity");
    assertThat(error.get("message").asText()).startsWith("wrong.bin: " + nginx.uri("/wrong.bin") + " sent 100000 bytes"
        + " with sha256 ");
    assertThat(JSON.readTree(cli.run("list", "--json").out()).get("models")).isEmpty();
  }

  static long partialSize(Path downloads) throws Exception {
    if (!Files.isDirectory(downloads)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(downloads)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".partial")).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
