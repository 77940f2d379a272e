package soko.cli.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.acquisition.oci.ModelPack;
import soko.app.Settings;
import soko.app.Soko;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.testkit.registry.FaultServer;
import soko.testkit.registry.LocalRegistry;
import soko.testkit.registry.TokenServer;
import soko.verification.Hashing;
import soko.testkit.RequiredTool;

/**
 * The issue's done-when scenario through the real CLI, against a real docker-registry (anonymous,
 * and behind a token server) and cross-checked with skopeo: push a bundled model, read it back
 * with skopeo, remove it, pull it back, verify it. Plus consent, offline, and a pull killed with
 * SIGKILL halfway and resumed.
 */
class OciCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MODEL = "silero-vad";
  static final String WEIGHTS = "silero_vad_v6.onnx";

  @TempDir
  static Path shared;
  static LocalRegistry anonymous;
  static TokenServer tokens;
  static LocalRegistry authed;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    RequiredTool.require(LocalRegistry.unavailableReason().or(OciCliTest::skopeoMissing));
    anonymous = LocalRegistry.start(shared.resolve("anonymous"), Optional.empty());
    tokens = TokenServer.start(shared.resolve("tokens"), Map.of("soko", "secret"), Duration.ofMinutes(5));
    authed = LocalRegistry.start(shared.resolve("authed"), Optional.of(tokens));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {authed, tokens, anonymous}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        System.out.println("could not stop " + c + ": " + e);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Optional<String> skopeoMissing() {
    try {
      skopeo(List.of("--version"), shared);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("skopeo is not usable (apt-get install skopeo): " + e.getMessage());
    }
  }

  private static byte[] skopeo(List<String> args, Path workDir) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("skopeo"));
    cmd.addAll(args);
    Path err = Files.createTempFile(workDir.toAbsolutePath(), "skopeo", ".err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + Files.readString(err).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }

  private static Soko soko(Path home) throws Exception {
    return Soko.open(Settings.resolve(Map.of(), new Properties(), Optional.of(home), Optional.empty(), false));
  }

  private static JsonNode onlyModel(SokoCli cli) throws IOException {
    JsonNode models = JSON.readTree(cli.run("list", "--json").out()).get("models");
    assertThat(models).hasSize(1);
    return models.get(0);
  }

  private static void ok(SokoCli.Result r) {
    assertThat(r.code()).as(r.toString()).isZero();
  }

  /** A docker-style credentials file for {@code registry}. */
  private Path authFile(String registry, String user, String password) throws IOException {
    Path f = dir.resolve("auth.json");
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.writeString(f, "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\"}}}");
    return f;
  }

  /** Installs the bundled model and pushes it to {@code repo} with the in-process CLI; returns the digest printed. */
  private String installAndPush(SokoCli cli, String registry, String repo) {
    ok(cli.run("install", MODEL));
    SokoCli.Result push = cli.run("push", MODEL, "oci://" + registry + "/" + repo + ":6.0.0", "--insecure-registry", registry);
    ok(push);
    return push.out().strip();
  }

  // ---------------------------------------------------------------- the done-when scenario

  /**
   * push → skopeo reads the same bytes → rm → pull back → verify, with {@code push} and
   * {@code pull} given as functions so each registry can pass its own credentials.
   */
  private void roundTrip(String registry, String repo, SokoCli cli, PushStep push, List<String> pullFlags, List<String> skopeoFlags)
      throws Exception {
    ok(cli.run("install", MODEL));
    Manifest installed = soko(cli.home()).verified(MODEL).manifest();
    String reference = "oci://" + registry + "/" + repo + ":6.0.0";

    java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    SokoCli.Result pushed = push.run(reference);
    java.time.Instant after = java.time.Instant.now();
    ok(pushed);
    String digest = pushed.out().strip();
    assertThat(digest).matches("sha256:[0-9a-f]{64}");
    assertThat(pushed.err()).contains("pushed silero-vad@6.0.0 to " + reference + " (2 file(s) uploaded, 0 already there, ",
        "  soko pull oci://" + registry + "/" + repo + ":6.0.0@" + digest);

    List<String> inspect = new ArrayList<>(List.of("inspect", "--raw", "--tls-verify=false"));
    inspect.addAll(skopeoFlags);
    inspect.add("docker://" + registry + "/" + repo + ":6.0.0");
    byte[] raw = skopeo(inspect, dir);
    assertThat(Hashing.sha256(raw)).hasToString(digest);
    java.time.Instant created = java.time.Instant.parse(JSON.readTree(raw).get("annotations").get(ModelPack.CREATED).asText());
    assertThat(created).as("createdAt is the time of the push").isBetween(before, after);
    assertThat(raw).as("the manifest skopeo reads is the one Soko wrote")
        .isEqualTo(ModelPack.write(installed, Optional.empty(), created).manifest());

    SokoCli.Result rm = cli.run("rm", MODEL);
    ok(rm);
    assertThat(JSON.readTree(cli.run("list", "--json").out()).get("models")).isEmpty();

    List<String> pull = new ArrayList<>(List.of("pull", reference, "--yes"));
    pull.addAll(pullFlags);
    SokoCli.Result pulled = cli.run(pull.toArray(String[]::new));
    ok(pulled);
    assertThat(pulled.out()).isEqualTo("installed silero-vad@6.0.0 (2 file(s), 2.2 MiB written and verified)\n");

    SokoCli.Result verify = cli.run("verify", "--full");
    ok(verify);
    JsonNode model = onlyModel(cli);
    assertThat(model.get("state").asText()).isEqualTo("verified");
    assertThat(model.get("origin").asText()).isEqualTo(reference + "@" + digest);
  }

  @FunctionalInterface
  interface PushStep {
    SokoCli.Result run(String reference) throws Exception;
  }

  @Test
  void aBundledModelPushedToAnAnonymousRegistryIsPulledBackAndVerifies() throws Exception {
    String registry = anonymous.hostPort();
    SokoCli cli = new SokoCli(dir.resolve("home"));

    roundTrip(registry, "team/silero-vad", cli,
        ref -> cli.run("push", MODEL, ref, "--insecure-registry", registry),
        List.of("--insecure-registry", registry), List.of());
  }

  @Test
  void withATokenRegistryPushUsesTheEnvironmentsCredentialsAndPullUsesAnAuthFile() throws Exception {
    String registry = authed.hostPort();
    SokoCli cli = new SokoCli(dir.resolve("home"));
    Path auth = authFile(registry, "soko", "secret");
    int before = tokens.requests().size();

    roundTrip(registry, "team/silero-vad", cli,
        ref -> cli.runChild(Map.of("SOKO_REGISTRY_USER", "soko", "SOKO_REGISTRY_PASSWORD", "secret", "SOKO_REGISTRY", registry,
            "SOKO_INSECURE_REGISTRIES", "example.org:5000, " + registry), "push", MODEL, ref),
        List.of("--insecure-registry", registry, "--authfile", auth.toString()), List.of("--creds", "soko:secret"));

    List<TokenServer.Request> ours = tokens.requests().subList(before, tokens.requests().size());
    assertThat(ours).anySatisfy(r -> {
      assertThat(r.account()).isEqualTo("soko");
      assertThat(r.scopes()).containsExactly("repository:team/silero-vad:pull,push");
    });
    assertThat(ours).filteredOn(r -> r.scopes().equals(List.of("repository:team/silero-vad:pull")))
        .isNotEmpty().allSatisfy(r -> assertThat(r.authenticated()).as("skopeo and the pull both log in").isTrue());
  }

  @Test
  void pushingWithoutCredentialsToATokenRegistrySaysHowToLogIn() throws Exception {
    String registry = authed.hostPort();
    SokoCli cli = new SokoCli(dir.resolve("home"));
    ok(cli.run("install", MODEL));

    SokoCli.Result push = cli.run("push", MODEL, "oci://" + registry + "/team/anon:6.0.0", "--insecure-registry", registry,
        "--authfile", authFile("other.example.org", "x", "y").toString());

    assertThat(push.code()).isEqualTo(1);
    assertThat(push.err()).isEqualTo("soko: " + registry + " refused access to repository:team/anon:pull,push (insufficient_scope);"
        + " check that your account may pull,push team/anon; no credentials for " + registry + " were found in"
        + " SOKO_REGISTRY_USER/SOKO_REGISTRY_PASSWORD (with SOKO_REGISTRY=" + registry + "), --authfile (REGISTRY_AUTH_FILE),"
        + " podman's auth.json or docker's config.json\n");
  }

  @Test
  void pushJsonReportsTheDigestAndWhatMoved() throws Exception {
    String registry = anonymous.hostPort();
    SokoCli cli = new SokoCli(dir.resolve("home"));
    String first = installAndPush(cli, registry, "team/json");

    SokoCli.Result again = cli.run("push", MODEL, "oci://" + registry + "/team/json:6.0.0", "--insecure-registry", registry, "--json");

    ok(again);
    JsonNode j = JSON.readTree(again.out());
    // A second push is a new publication: its createdAt is the time of that push, so the manifest digest is new
    // when a second has passed, while every blob is already there.
    String digest = j.get("digest").asText();
    assertThat(digest).matches("sha256:[0-9a-f]{64}").isNotEmpty();
    assertThat(first).matches("sha256:[0-9a-f]{64}");
    assertThat(j.get("model").asText()).isEqualTo("silero-vad@6.0.0");
    assertThat(j.get("reference").asText()).isEqualTo("oci://" + registry + "/team/json:6.0.0");
    assertThat(j.get("pinned").asText()).isEqualTo("oci://" + registry + "/team/json:6.0.0@" + digest);
    assertThat(j.get("blobsSkipped").asInt()).isEqualTo(2);
    assertThat(j.get("blobsUploaded").asInt()).isZero();
    byte[] config = skopeo(List.of("inspect", "--config", "--raw", "--tls-verify=false", "docker://" + registry + "/team/json:6.0.0"), dir);
    assertThat(j.get("bytesUploaded").asLong()).as("only the config, which carries the new createdAt, is uploaded")
        .isEqualTo(digest.equals(first) ? 0 : config.length);
  }

  // ---------------------------------------------------------------- consent and offline

  @Test
  void aPullWithoutYesAndWithoutATerminalExitsFourWithoutAnyRequest() throws Exception {
    installAndPush(new SokoCli(dir.resolve("publisher")), anonymous.hostPort(), "team/consent");
    SokoCli cli = new SokoCli(dir.resolve("machine"));
    try (FaultServer proxy = FaultServer.start().forwardTo(anonymous.hostPort())) {
      SokoCli.Result r = cli.run("pull", "oci://" + proxy.hostPort() + "/team/consent:6.0.0", "--insecure-registry", proxy.hostPort());

      assertThat(r.code()).as(r.toString()).isEqualTo(4);
      assertThat(r.err()).isEqualTo("soko: pulling oci://" + proxy.hostPort() + "/team/consent:6.0.0 downloads from "
          + proxy.hostPort() + " and was not approved; run again with --yes, or answer yes when asked\n");
      assertThat(proxy.requests()).as("no request at all, not even the manifest").isEmpty();
      assertThat(JSON.readTree(cli.run("list", "--json").out()).get("models")).isEmpty();
    }
  }

  @Test
  void anOfflinePullExitsFourWithoutAnyRequest() throws Exception {
    installAndPush(new SokoCli(dir.resolve("publisher")), anonymous.hostPort(), "team/offline");
    SokoCli cli = new SokoCli(dir.resolve("machine"));
    try (FaultServer proxy = FaultServer.start().forwardTo(anonymous.hostPort())) {
      String ref = "oci://" + proxy.hostPort() + "/team/offline:6.0.0";

      SokoCli.Result r = cli.run("--offline", "pull", ref, "--yes", "--insecure-registry", proxy.hostPort());

      assertThat(r.code()).as(r.toString()).isEqualTo(4);
      assertThat(r.err()).isEqualTo("soko: offline: pulling " + ref + " needs the registry " + proxy.hostPort()
          + "; run without --offline (and unset SOKO_OFFLINE)\n");
      assertThat(proxy.requests()).isEmpty();
    }
  }

  // ---------------------------------------------------------------- kill -9 and resume

  @Test
  void aPullKilledHalfwayResumesAndFetchesOnlyTheMissingBytes() throws Exception {
    installAndPush(new SokoCli(dir.resolve("publisher")), anonymous.hostPort(), "team/killed");
    Path home = dir.resolve("machine");
    SokoCli cli = new SokoCli(home);
    ModelFile weights = soko(home).bundledManifest(MODEL).orElseThrow().file(WEIGHTS).orElseThrow();
    Path partial = soko(home).store().downloadsDir().resolve(weights.sha256().hex() + ".partial");
    long rate = 512 * 1024;
    try (ThrottlingProxy proxy = new ThrottlingProxy(anonymous.hostPort(), rate)) {
      String ref = "oci://" + proxy.hostPort() + "/team/killed:6.0.0";

      Process child = cli.start(Map.of(), "pull", ref, "--yes", "--insecure-registry", proxy.hostPort());
      Instant deadline = Instant.now().plusSeconds(60);
      while (!(Files.exists(partial) && Files.size(partial) >= weights.size() / 3)) {
        assertThat(child.isAlive()).as("the child pull is still running").isTrue();
        assertThat(Instant.now()).as("the partial grows within 60 s").isBefore(deadline);
        Thread.sleep(20);
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      long kept = Files.size(partial);
      assertThat(kept).isBetween(weights.size() / 3, weights.size() - 1);
      assertThat(JSON.readTree(cli.run("list", "--json").out()).get("models")).as("nothing installed by the killed run").isEmpty();

      proxy.throttle(0);
      SokoCli.Result resumed = cli.run("pull", ref, "--yes", "--insecure-registry", proxy.hostPort());

      ok(resumed);
      List<ThrottlingProxy.Served> gets = proxy.served("/blobs/" + weights.sha256());
      assertThat(gets).hasSize(2);
      assertThat(gets.get(1).range()).contains("bytes=" + kept + "-");
      assertThat(gets.get(1).bytes().get()).as("only the missing bytes crossed the network again").isEqualTo(weights.size() - kept);
      ok(cli.run("verify", "--full"));
      assertThat(partial).doesNotExist();
    }
  }

  /** A ModelPack as another tool writes it: one raw ONNX weight layer, a config that names the format but no capabilities. */
  private String publishForeignModelPack(String repo) throws Exception {
    Path layout = dir.resolve("layout");
    Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
    byte[] weight = new byte[4096];
    new java.util.Random(4096).nextBytes(weight);
    byte[] config = "{\"descriptor\":{\"name\":\"foreign-vad\",\"version\":\"0.3\",\"licenses\":[\"MIT\"]},\"config\":{\"format\":\"onnx\"},\"modelfs\":{\"type\":\"layers\",\"diffIds\":[\"%s\"]}}"
        .formatted(Hashing.sha256(weight)).getBytes(StandardCharsets.UTF_8);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":"
        + "\"application/vnd.cncf.model.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.cncf.model.config.v1+json\","
        + "\"digest\":\"" + Hashing.sha256(config) + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
        + "\"application/vnd.cncf.model.weight.v1.raw\",\"digest\":\"" + Hashing.sha256(weight) + "\",\"size\":" + weight.length
        + ",\"annotations\":{\"org.cncf.model.filepath\":\"vad.onnx\"}}]}").getBytes(StandardCharsets.UTF_8);
    for (byte[] b : List.of(weight, config, manifest)) {
      Files.write(blobs.resolve(Hashing.sha256(b).hex()), b);
    }
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + Hashing.sha256(manifest) + "\",\"size\":" + manifest.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"0.3\"}}]}");
    skopeo(List.of("copy", "--preserve-digests", "--dest-tls-verify=false", "oci:" + layout + ":0.3",
        "docker://" + anonymous.hostPort() + "/" + repo + ":0.3"), dir);
    return "oci://" + anonymous.hostPort() + "/" + repo + ":0.3";
  }

  @Test
  void aForeignModelPackWithoutATaskSaysSoListsAsNoTaskAndTakesOneWithTask() throws Exception {
    String reference = publishForeignModelPack("foreign/vad");
    SokoCli cli = new SokoCli(dir.resolve("home"));

    SokoCli.Result pulled = cli.run("pull", reference, "--yes", "--insecure-registry", anonymous.hostPort());

    ok(pulled);
    assertThat(pulled.err()).contains("foreign-vad@0.3.0 has no task: the artifact does not say what it does; it is installed,"
        + " listed and verified but not run until you name one: soko pull " + reference + " --task asr:ja");
    assertThat(cli.run("list").out()).contains("(no task)");
    assertThat(onlyModel(cli).get("tasks")).isEmpty();
    ok(cli.run("verify", "--full"));

    SokoCli.Result wrong = cli.run("pull", "silero-vad", "--task", "vad");
    assertThat(wrong.code()).as(wrong.toString()).isNotZero();
    assertThat(wrong.err()).contains("--task applies to oci:// references only");

    SokoCli.Result given = cli.run("pull", reference, "--yes", "--insecure-registry", anonymous.hostPort(), "--task", "vad");

    ok(given);
    assertThat(given.err()).doesNotContain("has no task");
    assertThat(onlyModel(cli).get("tasks").toString()).contains("vad");
  }
}
