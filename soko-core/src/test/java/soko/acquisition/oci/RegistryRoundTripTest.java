package soko.acquisition.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.ModelFile;
import soko.testkit.registry.FaultServer;
import soko.testkit.registry.LocalRegistry;
import soko.verification.Digest;
import soko.verification.Hashing;
import soko.testkit.RequiredTool;

/** Push and pull against a real anonymous CNCF distribution registry, cross-checked with skopeo. */
class RegistryRoundTripTest {
  private static final int CHUNK = 64 * 1024;
  private static final int BIG = 5 * CHUNK + 123;

  @TempDir
  static Path shared;
  static LocalRegistry registry;

  @TempDir
  Path dir;

  @BeforeAll
  static void startRegistry() throws Exception {
    RequiredTool.require(LocalRegistry.unavailableReason().or(Skopeo::unavailableReason));
    registry = LocalRegistry.start(shared.resolve("registry"), Optional.empty());
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private OciClient client(String hostPort) {
    return new OciClient(OciSettings.defaults().withInsecure(Set.of(hostPort)).withChunking(CHUNK, CHUNK)
        .withUploadState(dir.resolve("uploads")).withRetries(2, Duration.ZERO)
        .withClock(java.time.Clock.fixed(TestModel.CREATED, java.time.ZoneOffset.UTC)));
  }

  private static String sha(byte[] b) {
    return Hashing.sha256(b).toString();
  }

  @Test
  void pushedManifestIsWhatSkopeoReadsByteForByte() throws Exception {
    TestModel model = TestModel.create(dir.resolve("model"), "byte-exact", BIG);
    OciReference ref = OciReference.parse(registry.hostPort() + "/soko/byte-exact:1.2.0");

    Digest digest = client(registry.hostPort()).push(ref, model.manifest(), model::blob, model.license());

    byte[] raw = Skopeo.run(List.of("inspect", "--raw", "--tls-verify=false", "docker://" + ref), dir);
    assertThat(raw).isEqualTo(ModelPack.write(model.manifest(), Optional.of(Hashing.sha256(model.licenseText())), TestModel.CREATED).manifest());
    assertThat(sha(raw)).isEqualTo(digest.toString());
    byte[] config = Skopeo.run(List.of("inspect", "--config", "--raw", "--tls-verify=false", "docker://" + ref), dir);
    assertThat(config).isEqualTo(ModelPack.write(model.manifest(), Optional.of(Hashing.sha256(model.licenseText())), TestModel.CREATED).config());
  }

  @Test
  void skopeoCopyToAnOciLayoutKeepsEveryDigest() throws Exception {
    TestModel model = TestModel.create(dir.resolve("model"), "layout-copy", 3000);
    OciReference ref = OciReference.parse(registry.hostPort() + "/soko/layout-copy:1.2.0");
    Digest digest = client(registry.hostPort()).push(ref, model.manifest(), model::blob, model.license());

    Skopeo.run(List.of("copy", "--src-tls-verify=false", "docker://" + ref, "oci:" + dir.resolve("layout") + ":1.2.0"), dir);

    Path blobs = dir.resolve("layout/blobs/sha256");
    assertThat(blobs.resolve(digest.hex())).exists();
    for (ModelFile f : model.manifest().files()) {
      assertThat(Hashing.sha256(blobs.resolve(f.sha256().hex())).digest()).isEqualTo(f.sha256());
    }
    assertThat(Files.readString(dir.resolve("layout/index.json"))).contains(digest.toString());
  }

  @Test
  void anArtifactSkopeoCopiedIntoTheRegistryIsPulledAndVerified() throws Exception {
    TestModel model = TestModel.create(dir.resolve("model"), "from-skopeo", 2000);
    OciReference first = OciReference.parse(registry.hostPort() + "/soko/staging:1.2.0");
    Digest digest = client(registry.hostPort()).push(first, model.manifest(), model::blob, model.license());
    Skopeo.run(List.of("copy", "--src-tls-verify=false", "docker://" + first, "oci:" + dir.resolve("layout") + ":v"), dir);
    OciReference copied = OciReference.parse(registry.hostPort() + "/soko/copied-by-skopeo:v");
    Skopeo.run(List.of("copy", "--preserve-digests", "--dest-tls-verify=false", "oci:" + dir.resolve("layout") + ":v",
        "docker://" + copied), dir);

    OciClient client = client(registry.hostPort());
    PulledManifest pulled = client.pullManifest(copied);

    assertThat(pulled.digest()).isEqualTo(digest);
    assertThat(pulled.model().name()).isEqualTo(model.manifest().name());
    for (LayerRef l : pulled.layers()) {
      Path got = Blobs.fetch(client, copied, l.digest(), l.size(), dir.resolve("downloads"));
      assertThat(Hashing.sha256(got).digest()).isEqualTo(l.digest());
    }
  }

  @Test
  void aPullResumesFromAPartialBlobFetchingOnlyTheRemainingBytes() throws Exception {
    TestModel model = TestModel.create(dir.resolve("model"), "resume-pull", BIG);
    OciReference direct = OciReference.parse(registry.hostPort() + "/soko/resume-pull:1.2.0");
    client(registry.hostPort()).push(direct, model.manifest(), model::blob, model.license());
    ModelFile weight = model.manifest().file("ggml-test.bin").orElseThrow();
    byte[] all = Files.readAllBytes(model.blob(weight.sha256()));
    int have = 100_000;
    Path downloads = Files.createDirectories(dir.resolve("downloads"));
    Files.write(downloads.resolve(weight.sha256().hex() + ".partial"), java.util.Arrays.copyOf(all, have));

    try (FaultServer proxy = FaultServer.start().forwardTo(registry.hostPort())) {
      OciReference viaProxy = OciReference.parse(proxy.hostPort() + "/soko/resume-pull:1.2.0");
      Path got = Blobs.fetch(client(proxy.hostPort()), viaProxy, weight.sha256(), weight.size(), downloads);

      assertThat(Files.readAllBytes(got)).isEqualTo(all);
      List<FaultServer.Request> gets = proxy.requestsTo("/v2/soko/resume-pull/blobs/" + weight.sha256());
      assertThat(gets).singleElement().satisfies(r -> assertThat(r.header("Range")).contains("bytes=" + have + "-"));
    }
  }

  @Test
  void aChunkedPushInterruptedMidwayContinuesFromTheRegistrysOffset() throws Exception {
    TestModel model = TestModel.create(dir.resolve("model"), "resume-push", BIG);
    ModelFile weight = model.manifest().file("ggml-test.bin").orElseThrow();
    try (FaultServer proxy = FaultServer.start().forwardTo(registry.hostPort())) {
      OciReference ref = OciReference.parse(proxy.hostPort() + "/soko/resume-push:1.2.0");
      int[] patches = {0};
      proxy.rule(r -> r.method().equals("PATCH") && ++patches[0] > 2
          ? Optional.of(FaultServer.Response.of(503)) : Optional.empty());

      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> client(proxy.hostPort()).push(ref, model.manifest(), model::blob, model.license()))
          .isInstanceOf(OciRequestException.class)
          .hasMessageContaining("answered 503 to an upload chunk");
      proxy.clearRules();
      int before = proxy.requests().size();

      Digest digest = client(proxy.hostPort()).push(ref, model.manifest(), model::blob, model.license());

      List<String> resumed = proxy.requests().subList(before, proxy.requests().size()).stream()
          .filter(r -> r.method().equals("PATCH")).map(r -> r.header("Content-Range").orElse("")).toList();
      assertThat(resumed).first().isEqualTo((2 * CHUNK) + "-" + (3 * CHUNK - 1));
      assertThat(resumed).hasSize(4);
      byte[] raw = Skopeo.run(List.of("inspect", "--raw", "--tls-verify=false", "docker://" + registry.hostPort()
          + "/soko/resume-push:1.2.0"), dir);
      assertThat(sha(raw)).isEqualTo(digest.toString());
      assertThat(weight.size()).isEqualTo(BIG);
    }
  }
}
