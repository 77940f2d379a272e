package soko.acquisition.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.verification.Digest;
import soko.verification.Hashing;

class ModelPackTest {
  private static final OciReference REF = OciReference.parse("registry.example.org/soko/test-model:1.2.0");

  @TempDir
  Path dir;

  private static Manifest withSources(Manifest m, OciReference ref) {
    List<ModelFile> files = m.files().stream()
        .map(f -> new ModelFile(f.path(), f.size(), f.sha256(), List.of(SourceUri.parse(ref.blobUri(f.sha256())))))
        .toList();
    Map<String, String> annotations = new java.util.HashMap<>(m.annotations());
    annotations.put(ModelPack.CREATED, TestModel.CREATED.toString());
    return new Manifest(m.name(), m.version(), m.description(), m.tasks(), m.engine(), m.license(), files, m.demo(), annotations);
  }

  @Test
  void roundTripKeepsEverythingButTheSourcesWhichPointAtTheRegistry() throws Exception {
    TestModel model = TestModel.create(dir, "test-model", 1000);
    ModelPackArtifact art = ModelPack.write(model.manifest(), Optional.of(Hashing.sha256(model.licenseText())), TestModel.CREATED);

    PulledManifest pulled = ModelPack.read(art.manifest(), art.manifestDigest(), art.config(), REF);

    assertThat(pulled.model()).isEqualTo(withSources(model.manifest(), REF));
    assertThat(pulled.model().files().get(0).sources().get(0).kind()).isEqualTo(SourceUri.Kind.OCI);
    assertThat(pulled.licenseText()).map(LayerRef::path).contains(RelativePath.parse("LICENSE"));
    assertThat(pulled.reference().digest()).contains(art.manifestDigest());
  }

  @Test
  void writingIsDeterministicAndCompact() throws Exception {
    TestModel model = TestModel.create(dir, "test-model", 1000);
    ModelPackArtifact a = ModelPack.write(model.manifest(), Optional.empty(), TestModel.CREATED);
    ModelPackArtifact b = ModelPack.write(model.manifest(), Optional.empty(), TestModel.CREATED);

    assertThat(a.manifest()).isEqualTo(b.manifest());
    assertThat(a.config()).isEqualTo(b.config());
    assertThat(new String(a.manifest(), StandardCharsets.UTF_8)).doesNotContain("\n").doesNotContain(": ");
    assertThat(a.manifestDigest()).isEqualTo(Hashing.sha256(a.manifest()));
  }

  @Test
  void layersAreWeightsThenConfigsThenDocsWithFilepathAnnotations() throws Exception {
    TestModel model = TestModel.create(dir, "test-model", 1000);
    ModelPackArtifact art = ModelPack.write(model.manifest(), Optional.of(Hashing.sha256(model.licenseText())), TestModel.CREATED);

    assertThat(art.layers()).extracting(l -> l.path().value() + " " + l.mediaType()).containsExactly(
        "ggml-test.bin " + ModelPack.WEIGHT,
        "tokenizer/vocab.json " + ModelPack.WEIGHT_CONFIG,
        "README.md " + ModelPack.DOC,
        "LICENSE " + ModelPack.DOC);
    String json = new String(art.manifest(), StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"artifactType\":\"application/vnd.cncf.model.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.cncf.model.config.v1+json\"");
    assertThat(json).contains("\"annotations\":{\"org.cncf.model.filepath\":\"tokenizer/vocab.json\",\"org.opencontainers.image.title\":\"tokenizer/vocab.json\"}");
  }

  @Test
  void configCarriesFormatCapabilitiesLanguagesAndDiffIds() throws Exception {
    TestModel model = TestModel.create(dir, "test-model", 1000);
    ModelPackArtifact art = ModelPack.write(model.manifest(), Optional.empty(), TestModel.CREATED);
    String config = new String(art.config(), StandardCharsets.UTF_8);

    String diffIds = String.join(",", art.layers().stream().map(l -> "\"" + l.digest() + "\"").toList());
    assertThat(config).isEqualTo("{\"descriptor\":{\"createdAt\":\"2026-03-04T05:06:07Z\",\"name\":\"test-model\",\"version\":\"1.2.0\","
        + "\"description\":\"Whisper-style test model\",\"licenses\":[\"MIT\"]},\"config\":{\"format\":\"ggml\",\"capabilities\":"
        + "{\"inputTypes\":[\"audio\"],\"outputTypes\":[\"text\"],\"languages\":[\"ja\",\"ko\",\"en\"]}},"
        + "\"modelfs\":{\"type\":\"layers\",\"diffIds\":[" + diffIds + "]}}");
  }

  @Test
  void anExistingLicenseFileIsTheLicenceLayer() throws Exception {
    TestModel model = TestModel.create(dir, "test-model", 10);
    Manifest m = model.manifest();
    List<ModelFile> files = new java.util.ArrayList<>(m.files());
    byte[] text = "MIT".getBytes(StandardCharsets.UTF_8);
    files.add(new ModelFile(RelativePath.parse("LICENSE"), text.length, Hashing.sha256(text),
        List.of(SourceUri.parse("https://example.org/LICENSE"))));
    Manifest withLicense = new Manifest(m.name(), m.version(), m.description(), m.tasks(), m.engine(), m.license(), files, false,
        m.annotations());

    ModelPackArtifact art = ModelPack.write(withLicense, Optional.of(Hashing.sha256(model.licenseText())), TestModel.CREATED);

    assertThat(art.layers()).filteredOn(l -> l.path().value().equals("LICENSE")).singleElement()
        .extracting(LayerRef::digest).isEqualTo(Hashing.sha256(text));
    assertThat(ModelPack.read(art.manifest(), art.manifestDigest(), art.config(), REF).licenseText()).isEmpty();
  }

  @Test
  void aPathClimbingOutOfTheModelIsRefused() throws Exception {
    TestModel model = TestModel.create(dir, "test-model", 10);
    ModelPackArtifact art = ModelPack.write(model.manifest(), Optional.empty(), TestModel.CREATED);
    byte[] evil = new String(art.manifest(), StandardCharsets.UTF_8)
        .replace("\"org.cncf.model.filepath\":\"README.md\"", "\"org.cncf.model.filepath\":\"../../.bashrc\"")
        .getBytes(StandardCharsets.UTF_8);
    Digest d = Hashing.sha256(evil);

    assertThatThrownBy(() -> ModelPack.read(evil, d, art.config(), REF))
        .isInstanceOf(OciFormatException.class)
        .hasMessage("registry.example.org/soko/test-model:1.2.0@" + d
            + ": layer 2 has the unsafe path \"../../.bashrc\", refused: the path climbs out of the model with '..'");
  }

  @Test
  void aLayerThatDisagreesWithTheSokoManifestIsRefused() throws Exception {
    TestModel model = TestModel.create(dir, "test-model", 10);
    ModelPackArtifact art = ModelPack.write(model.manifest(), Optional.empty(), TestModel.CREATED);
    Digest weight = art.layers().get(0).digest();
    String other = "sha256:" + "0".repeat(64);
    byte[] changed = new String(art.manifest(), StandardCharsets.UTF_8).replaceFirst("\"digest\":\"" + weight + "\"",
        "\"digest\":\"" + other + "\"").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ModelPack.read(changed, Hashing.sha256(changed), art.config(), REF))
        .isInstanceOf(OciFormatException.class)
        .hasMessageContaining(": the layer for ggml-test.bin is " + other + " (10 bytes) but the model says " + weight + " (10 bytes)");
  }

  @Test
  void anArtifactThatIsNotAModelPackIsRefusedWithItsTypes() throws IOException {
    byte[] m = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\"application/vnd.unknown.artifact.v1\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},\"layers\":[]}")
        .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ModelPack.read(m, Hashing.sha256(m), "{}".getBytes(StandardCharsets.UTF_8), REF))
        .isInstanceOf(OciFormatException.class)
        .hasMessageEndingWith(" is not a ModelPack model (artifactType application/vnd.unknown.artifact.v1, config "
            + "application/vnd.oci.empty.v1+json): an artifact with an empty config, as `oras push` makes by default, says nothing"
            + " about the model; push it again with `oras push --artifact-type application/vnd.cncf.model.manifest.v1+json"
            + " --config config.json:application/vnd.cncf.model.config.v1+json FILE:application/vnd.cncf.model.weight.v1.raw …`,"
            + " or build it with modctl or `kit pack --use-model-pack`");
  }

  @Test
  void aModelPackWithoutTheEmbeddedManifestIsReadFromConfigAndAnnotations() throws Exception {
    TestModel model = TestModel.create(dir, "test-model", 10);
    ModelPackArtifact art = ModelPack.write(model.manifest(), Optional.of(Hashing.sha256(model.licenseText())), TestModel.CREATED);
    String json = new String(art.manifest(), StandardCharsets.UTF_8).replaceAll("\"dev\\.soko\\.manifest\":\"(?:[^\"\\\\]|\\\\.)*\",", "");
    assertThat(json).doesNotContain(ModelPack.SOKO_MANIFEST);
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

    PulledManifest pulled = ModelPack.read(bytes, Hashing.sha256(bytes), art.config(), REF);

    Manifest expected = withSources(model.manifest(), REF);
    assertThat(pulled.model().tasks()).isEqualTo(expected.tasks());
    assertThat(pulled.model().engine()).isEqualTo(expected.engine());
    assertThat(pulled.model().license()).isEqualTo(expected.license());
    assertThat(pulled.model().files()).as("a LICENSE layer of another tool's artifact is one of the model's files")
        .hasSize(expected.files().size() + 1).containsAll(expected.files());
    assertThat(pulled.model().file("LICENSE")).map(ModelFile::sha256).contains(Hashing.sha256(model.licenseText()).digest());
  }
}
