package soko.cli.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.testkit.registry.LocalRegistry;
import soko.verification.Hashing;

/**
 * {@code soko bundle} through the real CLI: an import killed with SIGKILL again and again, at ten
 * or more points, then completed by a last run that writes no verified blob twice; and a bundle
 * pushed to a real docker-registry by skopeo, then pulled back by {@code soko pull oci://}.
 */
class BundleCliTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** A model of {@code files} seeded random files of {@code size} bytes, as a manifest file with file: sources. */
  private Path model(String name, int files, int size, long seed) throws IOException {
    Path src = dir.resolve("src-" + name);
    Files.createDirectories(src);
    Random r = new Random(seed);
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < files; i++) {
      byte[] b = new byte[size];
      r.nextBytes(b);
      Path f = src.resolve("part" + i + ".onnx");
      Files.write(f, b);
      list.append(i == 0 ? "" : ",").append("{\"path\":\"part").append(i).append(".onnx\",\"size\":").append(size)
          .append(",\"sha256\":\"").append(HexFormat.of().formatHex(Hashing.newSha256().digest(b))).append("\",\"sources\":[\"")
          .append(f.toUri()).append("\"]}");
    }
    Path manifest = src.resolve("manifest.json");
    Files.writeString(manifest, """
        {"schemaVersion":1,"name":"%s","version":"1.0.0","tasks":[{"task":"translate","from":"ko","to":"en"}],
         "engine":{"id":"onnxruntime","version":">=1.17"},
         "license":{"spdx":"MIT","url":"https://example.org/LICENSE","attribution":"Example team"},
         "files":[%s]}
        """.formatted(name, list));
    return manifest;
  }

  private static void ok(SokoCli.Result r) {
    assertThat(r.code()).as(r.toString()).isZero();
  }

  @Test
  void anImportKilledAtTenPointsCompletesOnTheNextRunWithoutWritingAVerifiedBlobTwice() throws Exception {
    SokoCli publisher = new SokoCli(dir.resolve("publisher"));
    ok(publisher.run("install", "silero-vad"));
    ok(publisher.run("install", model("team-a", 6, 3 << 20, 1).toString()));
    ok(publisher.run("install", model("team-b", 6, 3 << 20, 2).toString()));
    Path tar = dir.resolve("usb/models.tar");
    Files.createDirectories(tar.getParent());
    ok(publisher.run("bundle", "export", "team-a", "silero-vad", "team-b", "-o", tar.toString()));

    Path home = dir.resolve("offline");
    SokoCli cli = new SokoCli(home);
    Path out = home.resolveSibling(home.getFileName() + ".out");
    Map<String, Integer> writtenIn = new HashMap<>();
    int kills = 0;
    for (int run = 0; run < 40 && kills < 12; run++) {
      Process child = cli.start(Map.of(), "--offline", "--json", "bundle", "import", tar.toString(), "--trust-unsigned");
      Instant deadline = Instant.now().plusSeconds(120);
      boolean killed = false;
      // Kill as soon as this run has verified one blob of its own: each run makes progress, and
      // the kills land at different points (after 1, 2, … blobs; some in the middle of the next).
      while (child.isAlive() && Instant.now().isBefore(deadline)) {
        if (Files.exists(out) && Files.readString(out).contains("\"written\":true")) {
          child.destroyForcibly(); // SIGKILL
          killed = true;
          break;
        }
        Thread.sleep(2);
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      for (String line : Files.readString(out).lines().toList()) {
        if (line.contains("\"written\":true")) {
          String entry = JSON.readTree(line).get("entry").asText();
          writtenIn.merge(entry, 1, Integer::sum);
        }
      }
      if (!killed || child.exitValue() == 0) {
        break; // it finished before it could be killed
      }
      kills++;
      // After every kill: whatever is recorded as installed verifies.
      SokoCli.Result verify = cli.run("--offline", "verify", "--full");
      assertThat(verify.code()).as(verify.toString()).isZero();
    }
    assertThat(kills).as("kill -9 landed at ten or more points").isGreaterThanOrEqualTo(10);

    SokoCli.Result last = cli.runChild(Map.of(), "--offline", "--json", "bundle", "import", tar.toString(), "--trust-unsigned");
    ok(last);
    for (String line : last.out().lines().toList()) {
      if (line.contains("\"written\":true")) {
        writtenIn.merge(JSON.readTree(line).get("entry").asText(), 1, Integer::sum);
      }
    }
    ok(cli.run("--offline", "verify", "--full"));
    JsonNode models = JSON.readTree(cli.run("list", "--json").out()).get("models");
    Set<String> names = new TreeSet<>();
    Set<String> files = new TreeSet<>();
    models.forEach(m -> {
      names.add(m.get("name").asText());
      m.get("files").forEach(f -> files.add("blobs/sha256/" + f.get("sha256").asText()));
    });
    assertThat(names).containsExactly("silero-vad", "team-a", "team-b");
    for (String f : files) {
      assertThat(writtenIn.getOrDefault(f, 0)).as("model file " + f + " was verified and written at most once across "
          + (kills + 1) + " runs").isLessThanOrEqualTo(1);
    }
    try (var staged = Files.list(home.resolve("data/tmp"))) {
      assertThat(staged.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("bundle-"))).isEmpty();
    }
  }

  @Test
  void skopeoPushesTheBundleToARegistryAndSokoPullsTheSameModelBack() throws Exception {
    Optional<String> why = LocalRegistry.unavailableReason().or(BundleCliTest::skopeoMissing);
    if (why.isPresent()) {
      System.out.println("SKIPPED BundleCliTest skopeo interop: " + why.get());
    }
    assumeTrue(why.isEmpty(), () -> why.orElse(""));
    try (LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"), Optional.empty())) {
      SokoCli publisher = new SokoCli(dir.resolve("publisher"));
      ok(publisher.run("install", model("team-c", 2, 200_000, 3).toString()));
      ok(publisher.run("install", "silero-vad"));
      Path tar = dir.resolve("models.tar");
      SokoCli.Result exported = publisher.run("--json", "bundle", "export", "team-c", "silero-vad", "-o", tar.toString());
      ok(exported);
      JsonNode result = JSON.readTree(exported.out());
      String digest = result.get("models").get(0).get("digest").asText();
      assertThat(result.get("models").get(0).get("ref").asText()).isEqualTo("team-c-1.0.0");

      String target = registry.hostPort() + "/team/team-c:1.0.0";
      skopeo(List.of("copy", "--preserve-digests", "--dest-tls-verify=false", "oci-archive:" + tar + ":team-c-1.0.0",
          "docker://" + target));
      byte[] raw = skopeo(List.of("inspect", "--raw", "--tls-verify=false", "docker://" + target));
      assertThat(Hashing.sha256(raw)).as("the registry holds the bundle's manifest, byte for byte").hasToString(digest);

      SokoCli puller = new SokoCli(dir.resolve("puller"));
      SokoCli.Result pulled = puller.run("pull", "oci://" + target, "--yes", "--insecure-registry", registry.hostPort());
      ok(pulled);
      ok(puller.run("verify", "--full"));
      JsonNode model = JSON.readTree(puller.run("list", "--json").out()).get("models").get(0);
      assertThat(model.get("name").asText()).isEqualTo("team-c");
      assertThat(model.get("origin").asText()).isEqualTo("oci://" + target + "@" + digest);
      JsonNode original = JSON.readTree(publisher.run("list", "--json").out()).get("models");
      List<String> want = new ArrayList<>();
      original.forEach(m -> {
        if (m.get("name").asText().equals("team-c")) {
          m.get("files").forEach(f -> want.add(f.get("path").asText() + "=" + f.get("sha256").asText()));
        }
      });
      List<String> got = new ArrayList<>();
      model.get("files").forEach(f -> got.add(f.get("path").asText() + "=" + f.get("sha256").asText()));
      assertThat(got).isEqualTo(want);
    }
  }

  private static Optional<String> skopeoMissing() {
    try {
      new ProcessBuilder("skopeo", "--version").start().waitFor();
      return Optional.empty();
    } catch (IOException | InterruptedException e) {
      return Optional.of("skopeo is not usable (apt-get install skopeo): " + e.getMessage());
    }
  }

  private byte[] skopeo(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("skopeo"));
    cmd.addAll(args);
    Path err = Files.createTempFile(dir, "skopeo", ".err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + Files.readString(err, StandardCharsets.UTF_8).strip());
    }
    return out;
  }
}
