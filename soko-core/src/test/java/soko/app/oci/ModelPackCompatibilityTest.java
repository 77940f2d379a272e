package soko.app.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.acquisition.oci.OciSettings;
import soko.app.AppException;
import soko.app.Registries;
import soko.app.Settings;
import soko.app.Soko;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.manifest.ModelName;
import soko.manifest.TaskSpec;
import soko.store.FileState;
import soko.testkit.registry.LocalRegistry;
import soko.verification.Hashing;

/**
 * The compatibility suite: ModelPack artifacts shaped like what modctl, KitOps and ORAS publish,
 * built at test time as OCI layouts and copied into a real docker-registry by skopeo, pulled,
 * verified and installed by Soko; Soko's own push read back by skopeo and checked against the
 * spec's media types; and hostile variants, each refused with one line and nothing written
 * outside the store.
 */
class ModelPackCompatibilityTest {
  private static final String MP = "application/vnd.cncf.model.";
  private static final String ARTIFACT = "application/vnd.cncf.model.manifest.v1+json";
  private static final String CONFIG = "application/vnd.cncf.model.config.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path shared;
  static LocalRegistry registry;

  @TempDir
  Path dir;

  @BeforeAll
  static void startRegistry() throws Exception {
    Optional<String> why = LocalRegistry.unavailableReason().or(ModelPackCompatibilityTest::skopeoMissing);
    if (why.isPresent()) {
      System.out.println("SKIPPED ModelPackCompatibilityTest: " + why.get());
    }
    assumeTrue(why.isEmpty(), () -> why.orElse(""));
    registry = LocalRegistry.start(shared.resolve("registry"), Optional.empty());
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private static Optional<String> skopeoMissing() {
    try {
      skopeo(List.of("--version"), Path.of(System.getProperty("java.io.tmpdir")));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("skopeo is not usable (apt-get install skopeo): " + e.getMessage());
    }
  }

  private static byte[] skopeo(List<String> args, Path work) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("skopeo"));
    cmd.addAll(args);
    Path err = Files.createTempFile(work, "skopeo", ".err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + Files.readString(err).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }

  /** Copies the layout in {@code layout} (tag {@code tag}) to {@code repo:tag} on the loopback registry, bytes unchanged. */
  private String publish(Path layout, String repo, String tag) throws IOException {
    String ref = registry.hostPort() + "/" + repo + ":" + tag;
    skopeo(List.of("copy", "--preserve-digests", "--dest-tls-verify=false", "oci:" + layout + ":" + tag, "docker://" + ref), dir);
    return "oci://" + ref;
  }

  private Soko soko(String name) throws Exception {
    return Soko.open(Settings.resolve(Map.of(), new Properties(), Optional.of(dir.resolve(name)), Optional.empty(), false));
  }

  private static Registries registries(Soko soko) {
    return new Registries(soko, OciSettings.defaults().withInsecure(Set.of(registry.hostPort())).withRetries(1, Duration.ZERO));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A stand-in whisper.cpp model file: the ggml magic, then seeded random bytes. */
  private static byte[] ggml(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    b[0] = 'l';
    b[1] = 'm';
    b[2] = 'g';
    b[3] = 'g';
    return b;
  }

  private static Map<String, String> ann(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Manifest installed(Soko soko, String name) throws Exception {
    return soko.store().installed(ModelName.parse(name)).orElseThrow().manifest();
  }

  private static void assertVerified(Soko soko, String name) throws Exception {
    assertThat(soko.verify(Optional.of(name), true)).singleElement()
        .satisfies(c -> assertThat(c.state()).isEqualTo(FileState.VERIFIED));
  }

  // ---------------------------------------------------------------- fixtures

  private static final byte[] WEIGHT = ggml(200_000);
  private static final byte[] CONFIG_JSON = bytes("{\"n_mels\":80}\n");
  private static final byte[] LICENSE = bytes("MIT License\n\nCopyright (c) the authors\n");
  private static final byte[] README = bytes("# whisper tiny\n");
  private static final byte[] SCRIPT = bytes("print('hello')\n");

  /**
   * Shaped like modctl's default build: one tar layer per file, entries named by their path
   * relative to the work folder, {@code org.cncf.model.filepath} on each, diffIds of the tar streams.
   */
  private byte[] modctlLayout(Path layout) throws IOException {
    byte[] w = OciLayout.tar(List.of(OciLayout.Entry.file("ggml-tiny.bin", WEIGHT)));
    byte[] c = OciLayout.tar(List.of(OciLayout.Entry.file("config.json", CONFIG_JSON)));
    byte[] l = OciLayout.tar(List.of(OciLayout.Entry.file("LICENSE", LICENSE)));
    byte[] r = OciLayout.tar(List.of(OciLayout.Entry.file("docs/README.md", README)));
    byte[] s = OciLayout.tar(List.of(OciLayout.Entry.folder("scripts/"), OciLayout.Entry.file("scripts/run.py", SCRIPT)));
    List<OciLayout.Layer> layers = List.of(
        new OciLayout.Layer(MP + "weight.v1.tar", w, ann("org.cncf.model.filepath", "ggml-tiny.bin")),
        new OciLayout.Layer(MP + "weight.config.v1.tar", c, ann("org.cncf.model.filepath", "config.json")),
        new OciLayout.Layer(MP + "doc.v1.tar", l, ann("org.cncf.model.filepath", "LICENSE")),
        new OciLayout.Layer(MP + "doc.v1.tar", r, ann("org.cncf.model.filepath", "docs/README.md")),
        new OciLayout.Layer(MP + "code.v1.tar", s, ann("org.cncf.model.filepath", "scripts")));
    String diffIds = String.join(",", layers.stream().map(x -> "\"" + x.digest() + "\"").toList());
    byte[] config = bytes("{\"descriptor\":{\"createdAt\":\"2025-09-01T10:00:00Z\",\"family\":\"whisper\",\"name\":\"whisper-tiny-ja\","
        + "\"version\":\"v1.0\",\"licenses\":[\"MIT\"]},\"config\":{\"architecture\":\"transformer\",\"format\":\"ggml\","
        + "\"paramSize\":\"39m\",\"precision\":\"float16\",\"capabilities\":{\"inputTypes\":[\"audio\"],\"outputTypes\":[\"text\"],"
        + "\"languages\":[\"ja\"]}},\"modelfs\":{\"type\":\"layers\",\"diffIds\":[" + diffIds + "]}}");
    return OciLayout.write(layout, "v1.0", ARTIFACT, CONFIG, config, layers, ann("org.opencontainers.image.created", "2025-09-01T10:00:00Z"));
  }

  @Test
  void aModctlStyleArtifactWithTarLayersInstallsWithItsTaskPathsLicenceAndEveryFileHashed() throws Exception {
    modctlLayout(dir.resolve("modctl"));
    String ref = publish(dir.resolve("modctl"), "compat/modctl", "v1.0");
    Soko soko = soko("home");

    Soko.InstallResult r = registries(soko).pull(ref, plan -> true, e -> {});

    Manifest m = installed(soko, "whisper-tiny-ja");
    assertThat(m.version().text()).isEqualTo("1.0.0");
    assertThat(m.tasks()).containsExactly(TaskSpec.asr(Language.JA));
    assertThat(m.engine().id()).isEqualTo("whisper.cpp");
    assertThat(m.license().spdx()).isEqualTo("MIT");
    assertThat(m.license().url()).hasToString("https://spdx.org/licenses/MIT.html");
    Map<String, String> expected = Map.of("ggml-tiny.bin", Hashing.sha256(WEIGHT).toString(),
        "config.json", Hashing.sha256(CONFIG_JSON).toString(), "LICENSE", Hashing.sha256(LICENSE).toString(),
        "docs/README.md", Hashing.sha256(README).toString(), "scripts/run.py", Hashing.sha256(SCRIPT).toString());
    Map<String, String> actual = new LinkedHashMap<>();
    m.files().forEach(f -> actual.put(f.path().value(), f.sha256().toString()));
    assertThat(actual).isEqualTo(expected);
    assertThat(m.annotations()).containsEntry("org.opencontainers.image.created", "2025-09-01T10:00:00Z")
        .containsEntry("dev.soko.modelpack.precision", "float16").containsEntry("dev.soko.modelpack.format", "ggml");
    assertThat(r.alreadyInstalled()).isFalse();
    assertVerified(soko, "whisper-tiny-ja");
    try (Stream<Path> left = Files.list(soko.store().downloadsDir())) {
      assertThat(left.filter(p -> !p.getFileName().toString().endsWith(".lock")).toList())
          .as("no tar or staging folder is left behind (the downloader's lock files stay, as for any download)").isEmpty();
    }
  }

  @Test
  void pullThenPushKeepsKindsCreatedAtPrecisionAndFormatAndAPushOfThatIsByteIdentical() throws Exception {
    modctlLayout(dir.resolve("modctl"));
    String ref = publish(dir.resolve("modctl"), "compat/modctl-rt", "v1.0");
    Soko soko = soko("home");
    Registries reg = registries(soko);
    reg.pull(ref, plan -> true, e -> {});

    String again = "oci://" + registry.hostPort() + "/compat/republished:1.0.0";
    Registries.PushResult pushed = reg.push("whisper-tiny-ja", again, List.of(), e -> {});

    byte[] raw = skopeo(List.of("inspect", "--raw", "--tls-verify=false", "docker://" + again.substring(6)), dir);
    assertThat(Hashing.sha256(raw)).hasToString(pushed.digest());
    JsonNode manifest = JSON.readTree(raw);
    assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(manifest.get("artifactType").asText()).isEqualTo(ARTIFACT);
    assertThat(manifest.get("config").get("mediaType").asText()).isEqualTo(CONFIG);
    Map<String, String> kinds = new LinkedHashMap<>();
    manifest.get("layers").forEach(l -> kinds.put(l.get("annotations").get("org.cncf.model.filepath").asText(), l.get("mediaType").asText()));
    assertThat(kinds).containsExactly(Map.entry("ggml-tiny.bin", MP + "weight.v1.raw"), Map.entry("config.json", MP + "weight.config.v1.raw"),
        Map.entry("LICENSE", MP + "doc.v1.raw"), Map.entry("docs/README.md", MP + "doc.v1.raw"), Map.entry("scripts/run.py", MP + "code.v1.raw"));
    JsonNode config = JSON.readTree(skopeo(List.of("inspect", "--config", "--raw", "--tls-verify=false", "docker://" + again.substring(6)), dir));
    assertThat(config.get("descriptor").get("createdAt").asText()).isEqualTo("2025-09-01T10:00:00Z");
    assertThat(config.get("config").get("precision").asText()).isEqualTo("float16");
    assertThat(config.get("config").get("format").asText()).isEqualTo("ggml");
    assertThat(config.get("descriptor").get("licenses").get(0).asText()).isEqualTo("MIT");
    assertThat(manifest.get("annotations").get("dev.soko.license.url").asText()).isEqualTo("https://spdx.org/licenses/MIT.html");

    Soko other = soko("other");
    Registries reg2 = registries(other);
    reg2.pull(again, plan -> true, e -> {});
    String third = "oci://" + registry.hostPort() + "/compat/third:1.0.0";
    Registries.PushResult second = reg2.push("whisper-tiny-ja", third, List.of(), e -> {});
    assertThat(second.digest()).as("pull then push of Soko's own artifact is byte-identical").isEqualTo(pushed.digest());
  }

  @Test
  void aKitOpsStyleArtifactWithGzipLayersAndNoCapabilitiesInstallsWithNoTaskUntilOneIsGiven() throws Exception {
    Path layout = dir.resolve("kit");
    byte[] onnx = new byte[50_000];
    new Random(7).nextBytes(onnx);
    byte[] data = bytes("text\nこんにちは\n");
    byte[] w = OciLayout.gzip(OciLayout.tar(List.of(OciLayout.Entry.folder("./model/"), OciLayout.Entry.file("./model/vad.onnx", onnx))));
    byte[] d = OciLayout.gzip(OciLayout.tar(List.of(OciLayout.Entry.file("data/sample.txt", data))));
    byte[] l = OciLayout.gzip(OciLayout.tar(List.of(OciLayout.Entry.file("LICENSE", LICENSE))));
    List<OciLayout.Layer> layers = List.of(
        new OciLayout.Layer(MP + "weight.v1.tar+gzip", w, ann("org.cncf.model.filepath", "model")),
        new OciLayout.Layer(MP + "dataset.v1.tar+gzip", d, ann("org.cncf.model.filepath", "data")),
        new OciLayout.Layer(MP + "doc.v1.tar+gzip", l, ann("org.cncf.model.filepath", "LICENSE")));
    List<String> diffIds = new ArrayList<>();
    for (byte[] tar : List.of(OciLayout.tar(List.of(OciLayout.Entry.folder("./model/"), OciLayout.Entry.file("./model/vad.onnx", onnx))),
        OciLayout.tar(List.of(OciLayout.Entry.file("data/sample.txt", data))), OciLayout.tar(List.of(OciLayout.Entry.file("LICENSE", LICENSE))))) {
      diffIds.add("\"" + Hashing.sha256(tar) + "\"");
    }
    byte[] config = bytes("{\"descriptor\":{\"name\":\"tiny-vad\",\"version\":\"2.1.0\",\"licenses\":[\"Apache-2.0\"]},"
        + "\"config\":{\"format\":\"onnx\"},\"modelfs\":{\"type\":\"layers\",\"diffIds\":[" + String.join(",", diffIds) + "]}}");
    OciLayout.write(layout, "2.1.0", ARTIFACT, CONFIG, config, layers, Map.of());
    String ref = publish(layout, "compat/kitops", "2.1.0");
    Soko soko = soko("home");
    Registries reg = registries(soko);

    Soko.InstallResult first = reg.pull(ref, plan -> true, e -> {});

    assertThat(first.filesWritten()).as("the files unpacked from the tar layers are counted").isEqualTo(3);
    assertThat(first.bytesWritten()).isEqualTo(onnx.length + data.length + LICENSE.length);
    Manifest m = installed(soko, "tiny-vad");
    assertThat(m.noTask()).isTrue();
    assertThat(m.engine().id()).isEqualTo("onnxruntime");
    assertThat(m.files()).extracting(f -> f.path().value()).containsExactly("model/vad.onnx", "data/sample.txt", "LICENSE");
    assertThat(m.file("model/vad.onnx").orElseThrow().sha256()).isEqualTo(Hashing.sha256(onnx));
    assertVerified(soko, "tiny-vad");
    assertThat(Registries.noTaskNotice(m, ref)).get().asString()
        .isEqualTo("tiny-vad@2.1.0 has no task: the artifact does not say what it does; it is installed, listed and verified but"
            + " not run until you name one: soko pull " + ref + " --task asr:ja (or speech-translate:ja:en, translate:ko:en, vad)");

    Soko.InstallResult again = reg.pull(ref, Optional.of(List.of(TaskSpec.vad())), plan -> true, e -> {});

    assertThat(again.filesWritten()).as("the model installed from these bytes is not unpacked again").isZero();

    assertThat(installed(soko, "tiny-vad").tasks()).containsExactly(TaskSpec.vad());
    assertVerified(soko, "tiny-vad");
  }

  @Test
  void anOrasStyleArtifactWithTitleOnlyLayersIsNamedByTheReferenceAndItsFilesByTitle() throws Exception {
    Path layout = dir.resolve("oras");
    List<OciLayout.Layer> layers = List.of(
        new OciLayout.Layer(MP + "weight.v1.raw", WEIGHT, ann("org.opencontainers.image.title", "ggml-base.bin")),
        new OciLayout.Layer(MP + "doc.v1.raw", README, ann("org.opencontainers.image.title", "README.md")),
        new OciLayout.Layer(MP + "weight.config.v1.raw", CONFIG_JSON, Map.of()));
    byte[] config = bytes("{\"descriptor\":{},\"config\":{\"format\":\"ggml\"},\"modelfs\":{\"type\":\"layers\",\"diffIds\":[]}}");
    OciLayout.write(layout, "1.2", ARTIFACT, CONFIG, config, layers, ann("org.opencontainers.image.created", "2025-10-10T00:00:00Z"));
    String ref = publish(layout, "compat/oras-whisper", "1.2");
    Soko soko = soko("home");

    registries(soko).pull(ref, plan -> true, e -> {});

    Manifest m = installed(soko, "oras-whisper");
    assertThat(m.version().text()).isEqualTo("1.2.0");
    assertThat(m.files()).extracting(f -> f.path().value())
        .containsExactly("ggml-base.bin", "README.md", "weight-config-" + Hashing.sha256(CONFIG_JSON).hex().substring(0, 16));
    assertThat(m.license().spdx()).isEqualTo("NOASSERTION");
    assertThat(m.noTask()).isTrue();
    assertVerified(soko, "oras-whisper");
  }

  @Test
  void orasDefaultEmptyConfigIsRefusedWithHowToPushItAsAModelPack() throws Exception {
    Path layout = dir.resolve("oras-empty");
    OciLayout.write(layout, "1", "application/vnd.unknown.artifact.v1", "application/vnd.oci.empty.v1+json", bytes("{}"),
        List.of(new OciLayout.Layer("application/vnd.oci.image.layer.v1.tar", WEIGHT, ann("org.opencontainers.image.title", "x.bin"))),
        Map.of());
    String ref = publish(layout, "compat/oras-empty", "1");

    assertThatThrownBy(() -> registries(soko("home")).pull(ref, plan -> true, e -> {}))
        .isInstanceOf(AppException.class)
        .hasMessageContaining("an artifact with an empty config, as `oras push` makes by default")
        .hasMessageContaining("--artifact-type application/vnd.cncf.model.manifest.v1+json")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  // ---------------------------------------------------------------- hostile

  private void assertRefused(String repo, List<OciLayout.Layer> layers, String expected) throws Exception {
    Path layout = dir.resolve("layout-" + repo.replace('/', '-'));
    String diffIds = "";
    byte[] config = bytes("{\"descriptor\":{\"name\":\"hostile\",\"version\":\"1.0.0\",\"licenses\":[\"MIT\"]},\"config\":{\"format\":\"ggml\"},"
        + "\"modelfs\":{\"type\":\"layers\",\"diffIds\":[" + diffIds + "]}}");
    OciLayout.write(layout, "1.0.0", ARTIFACT, CONFIG, config, layers, Map.of());
    String ref = publish(layout, repo, "1.0.0");
    Soko soko = soko("home-" + repo.replace('/', '-'));

    assertThatThrownBy(() -> registries(soko).pull(ref, plan -> true, e -> {}))
        .isInstanceOf(AppException.class)
        .hasMessageContaining(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

    assertThat(soko.store().installed()).isEmpty();
    try (Stream<Path> all = Files.walk(dir)) {
      assertThat(all.filter(p -> p.getFileName().toString().startsWith("escaped")).toList())
          .as("nothing written outside the store").isEmpty();
    }
    try (Stream<Path> left = Files.list(soko.store().downloadsDir())) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("unpack-")).toList()).isEmpty();
    }
  }

  @Test
  void aTarEntryClimbingOutWithDotDotIsRefused() throws Exception {
    byte[] tar = OciLayout.tar(List.of(OciLayout.Entry.file("ok.bin", WEIGHT), OciLayout.Entry.file("../../escaped.txt", README)));
    assertRefused("hostile/dotdot", List.of(new OciLayout.Layer(MP + "weight.v1.tar", tar, ann("org.cncf.model.filepath", "ok.bin"))),
        "holds the unsafe path \"../../escaped.txt\", refused: the path climbs out of the model with '..'");
  }

  @Test
  void anAbsoluteTarPathIsRefused() throws Exception {
    byte[] tar = OciLayout.tar(List.of(OciLayout.Entry.file("/tmp/escaped-abs.txt", README)));
    assertRefused("hostile/absolute", List.of(new OciLayout.Layer(MP + "weight.v1.tar", tar, ann("org.cncf.model.filepath", "x"))),
        "holds the absolute path \"/tmp/escaped-abs.txt\"; refused, a layer's paths are relative");
  }

  @Test
  void aSymlinkInALayerIsRefused() throws Exception {
    byte[] tar = OciLayout.tar(List.of(OciLayout.Entry.symlink("model.bin", "/etc/passwd")));
    assertRefused("hostile/symlink", List.of(new OciLayout.Layer(MP + "weight.v1.tar", tar, ann("org.cncf.model.filepath", "model.bin"))),
        "holds a symbolic link \"model.bin\" -> \"/etc/passwd\"; Soko unpacks only regular files and folders, so the layer is refused");
  }

  @Test
  void aGzipBombStopsAtTheLimitHavingWrittenABoundedAmount() throws Exception {
    // 256 MiB of zeros in one entry: about 250 KiB gzipped, a ratio near 1000
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      long size = 256L << 20;
      byte[] h = OciLayout.tar(List.of(OciLayout.Entry.file("bomb.bin", new byte[0])));
      byte[] header = java.util.Arrays.copyOf(h, 512);
      // rewrite the size field and checksum for the large entry
      byte[] sizeField = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(sizeField, 0, header, 124, 11);
      java.util.Arrays.fill(header, 148, 156, (byte) ' ');
      long sum = 0;
      for (byte b : header) {
        sum += b & 0xff;
      }
      byte[] chk = (String.format("%06o", sum) + "\0 ").getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(chk, 0, header, 148, 8);
      out.write(header);
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 256; i++) {
        out.write(zeros);
      }
      out.write(new byte[1024]);
    }
    byte[] bomb = gz.toByteArray();
    assertThat(bomb.length).isLessThan(1 << 20);
    assertRefused("hostile/bomb", List.of(new OciLayout.Layer(MP + "weight.v1.tar+gzip", bomb, ann("org.cncf.model.filepath", "bomb.bin"))),
        "unpacks to more than " + (bomb.length * 100L + (16L << 20)) + " bytes, over the limit for one layer");
  }

  @Test
  void anAnnotationPathClimbingOutIsRefused() throws Exception {
    assertRefused("hostile/annotation", List.of(new OciLayout.Layer(MP + "weight.v1.raw", WEIGHT,
        ann("org.cncf.model.filepath", "../../escaped.bin"))),
        "layer 0 has the unsafe path \"../../escaped.bin\", refused: the path climbs out of the model with '..'");
  }

  @Test
  void duplicatePathsAreRefusedInsideATarAndAcrossLayers() throws Exception {
    byte[] tar = OciLayout.tar(List.of(OciLayout.Entry.file("a.bin", WEIGHT), OciLayout.Entry.file("a.bin", README)));
    assertRefused("hostile/dup-tar", List.of(new OciLayout.Layer(MP + "weight.v1.tar", tar, ann("org.cncf.model.filepath", "a.bin"))),
        "holds the path \"a.bin\" twice; refused, as one entry would silently replace the other");
    assertRefused("hostile/dup-raw", List.of(
        new OciLayout.Layer(MP + "weight.v1.raw", WEIGHT, ann("org.cncf.model.filepath", "a.bin")),
        new OciLayout.Layer(MP + "doc.v1.raw", README, ann("org.cncf.model.filepath", "a.bin"))),
        "two layers have the path \"a.bin\"; refused, as one file would silently replace the other");
    byte[] t1 = OciLayout.tar(List.of(OciLayout.Entry.file("b.bin", WEIGHT)));
    byte[] t2 = OciLayout.tar(List.of(OciLayout.Entry.file("b.bin", README)));
    assertRefused("hostile/dup-layers", List.of(
        new OciLayout.Layer(MP + "weight.v1.tar", t1, ann("org.cncf.model.filepath", "b.bin")),
        new OciLayout.Layer(MP + "doc.v1.tar", t2, ann("org.cncf.model.filepath", "b2"))),
        "the path \"b.bin\" is listed twice");
  }
}
