package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.manifest.TaskSpec;
import soko.verification.Hashing;

class ManifestCommandTest {
  @TempDir
  Path dir;

  private Path model() throws Exception {
    Path m = Files.createDirectories(dir.resolve("opus-mt-ja-en"));
    Files.writeString(m.resolve("config.json"), "{\"d_model\": 512}");
    Files.createDirectories(m.resolve("onnx"));
    Files.write(m.resolve("onnx/encoder model.onnx"), new byte[] {1, 2, 3, 4, 5});
    Files.write(m.resolve("source.spm"), new byte[0]);
    return m;
  }

  private Cli.Result create(Path model, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("manifest", "create", model.toString(), "--name", "opus-mt-ja-en",
        "--version", "1.2.0", "--license", "CC-BY-4.0", "--license-url", "https://github.com/Helsinki-NLP/Opus-MT",
        "--attribution", "OPUS-MT, University of Helsinki", "--task", "translate:ja:en", "--engine", "onnxruntime:>=1.20 <2"));
    args.addAll(List.of(extra));
    return new Cli(dir.resolve("home")).run(args.toArray(String[]::new));
  }

  @Test
  void describesEveryFileWithItsSizeAndSha256AndParsesBackCanonically() throws Exception {
    Path model = model();
    Cli.Result r = create(model);
    assertThat(r.code()).as(r.toString()).isZero();
    Manifest m = ManifestCodec.parse(r.out().getBytes(StandardCharsets.UTF_8), "stdout");
    assertThat(m.id()).isEqualTo("opus-mt-ja-en@1.2.0");
    assertThat(m.tasks()).containsExactly(TaskSpec.translate(Language.JA, Language.EN));
    assertThat(m.engine().id()).isEqualTo("onnxruntime");
    assertThat(m.engine().versions().text()).isEqualTo(">=1.20 <2");
    assertThat(m.license().attribution()).isEqualTo("OPUS-MT, University of Helsinki");
    assertThat(m.files()).extracting(f -> f.path().value())
        .containsExactly("config.json", "onnx/encoder model.onnx", "source.spm");
    for (ModelFile f : m.files()) {
      Path file = model.resolve(f.path().value());
      var h = Hashing.sha256(file);
      assertThat(f.size()).isEqualTo(h.size());
      assertThat(f.sha256()).isEqualTo(h.digest());
      assertThat(f.sources()).singleElement().satisfies(s -> assertThat(s.uri()).isEqualTo(file.toRealPath().toUri()));
    }
    assertThat(r.out()).isEqualTo(new String(ManifestCodec.write(m), StandardCharsets.UTF_8) + "\n");
  }

  @Test
  void aFileOfThreeChunksGetsChunkDigestsThatDdAndSha256sumAgreeWith() throws Exception {
    Path model = model();
    byte[] big = new byte[40 * 1024 * 1024 + 5];
    new java.util.Random(3).nextBytes(big);
    Path weights = Files.write(model.resolve("weights.bin"), big);

    Cli.Result r = create(model);

    assertThat(r.code()).as(r.toString()).isZero();
    Manifest m = ManifestCodec.parse(r.out().getBytes(StandardCharsets.UTF_8), "stdout");
    assertThat(m.file("config.json").orElseThrow().chunks()).as("one chunk or less: no list").isEmpty();
    var chunks = m.file("weights.bin").orElseThrow().chunks().orElseThrow();
    assertThat(chunks.chunkSize()).isEqualTo(16L * 1024 * 1024);
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Process p = new ProcessBuilder("bash", "-c", "dd if=\"$1\" bs=16M skip=" + i + " count=1 status=none | sha256sum",
          "dd", weights.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(out).isZero();
      expected.add(out.substring(0, 64));
    }
    assertThat(chunks.sha256()).extracting(d -> d.hex()).containsExactlyElementsOf(expected);
  }

  @Test
  void aSourceBaseGivesEachFileAnEncodedMirrorUrl() throws Exception {
    Cli.Result r = create(model(), "--source-base", "https://models.example.org/opus-mt-ja-en/1.2.0");
    assertThat(r.code()).as(r.toString()).isZero();
    Manifest m = ManifestCodec.parse(r.out().getBytes(StandardCharsets.UTF_8), "stdout");
    Optional<ModelFile> enc = m.file("onnx/encoder model.onnx");
    assertThat(enc).hasValueSatisfying(f -> assertThat(f.sources().getFirst().toString())
        .isEqualTo("https://models.example.org/opus-mt-ja-en/1.2.0/onnx/encoder%20model.onnx"));
  }

  @Test
  void aManifestItPrintsInstallsFromThisMachine() throws Exception {
    Cli cli = new Cli(dir.resolve("home"));
    Cli.Result r = create(model());
    Path json = Files.writeString(dir.resolve("m.json"), r.out());
    Cli.Result installed = cli.run("install", json.toString());
    assertThat(installed.code()).as(installed.toString()).isZero();
    assertThat(cli.run("verify", "opus-mt-ja-en", "--full").code()).isZero();
  }

  @Test
  void aSymbolicLinkOutOfTheFolderIsRefused() throws Exception {
    Path model = model();
    Path secret = Files.writeString(dir.resolve("secret.txt"), "not part of the model");
    Files.createSymbolicLink(model.resolve("weights.bin"), secret);
    Cli.Result r = create(model);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("soko: cannot describe " + model + ": weights.bin is a symbolic link to "
        + secret.toRealPath() + ", outside " + model + " or not a regular file; a manifest lists only regular files"
        + " inside the folder\n");
  }

  @Test
  void aSymbolicLinkInsideTheFolderIsDescribedAsTheFileItNames() throws Exception {
    Path model = model();
    Files.createSymbolicLink(model.resolve("cfg.json"), model.resolve("config.json"));
    Cli.Result r = create(model);
    assertThat(r.code()).as(r.toString()).isZero();
    Manifest m = ManifestCodec.parse(r.out().getBytes(StandardCharsets.UTF_8), "stdout");
    assertThat(m.file("cfg.json").orElseThrow().sha256()).isEqualTo(m.file("config.json").orElseThrow().sha256());
  }

  @Test
  void taskSpecsCoverEveryTaskAndRejectNonsenseWithTheReason() throws Exception {
    assertThat(ManifestCommand.Create.task("vad")).isEqualTo(TaskSpec.vad());
    assertThat(ManifestCommand.Create.task("asr:ja,ko")).isEqualTo(TaskSpec.asr(Language.JA, Language.KO));
    assertThat(ManifestCommand.Create.task("speech-translate:ja,ko:en"))
        .isEqualTo(TaskSpec.speechTranslate(Language.EN, Language.JA, Language.KO));
    Cli.Result r = new Cli(dir.resolve("home")).run("manifest", "create", model().toString(), "--name", "x", "--version",
        "1.0.0", "--license", "MIT", "--license-url", "https://example.org/l", "--task", "translate:ja", "--engine", "e");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("soko: --task translate:ja: a translate task needs source languages and a target language\n");
    Cli.Result unknown = new Cli(dir.resolve("home")).run("manifest", "create", model().toString(), "--name", "x",
        "--version", "1.0.0", "--license", "MIT", "--license-url", "https://example.org/l", "--task", "summarise",
        "--engine", "e");
    assertThat(unknown.err()).startsWith("soko: --task summarise: unknown task \"summarise\"; known tasks: vad, asr");
  }

  @Test
  void anEmptyFolderIsRefused() throws Exception {
    Path emptyModel = Files.createDirectories(dir.resolve("nothing"));
    Cli.Result r = create(emptyModel);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("soko: " + emptyModel + " holds no files; put the model's files in it\n");
  }
}
