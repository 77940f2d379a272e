package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.testkit.TestAudio;
import soko.testkit.ggml.WhisperTestModel;

/**
 * {@code soko transcribe} end to end: a whisper.cpp test model (no tensors: whisper.cpp runs its
 * whole pipeline and returns no text) described by {@code soko manifest create}, installed with
 * {@code soko install}, run in whisper.cpp's child process after Silero VAD. Only one test runs
 * whisper.cpp, once.
 */
class TranscribeCommandTest {
  @TempDir
  static Path work;

  static Cli cli;
  static Path manifest;

  @BeforeAll
  static void installModels() throws Exception {
    Path modelDir = Files.createDirectories(work.resolve("whisper-test"));
    WhisperTestModel.tinyMultilingual().writeTo(modelDir.resolve("ggml-test.bin"));
    cli = new Cli(work.resolve("home"));
    Cli.Result created = cli.run("manifest", "create", modelDir.toString(), "--name", "whisper-test", "--version", "1.0.0",
        "--license", "MIT", "--license-url", "https://opensource.org/license/mit", "--task", "asr:ja,ko",
        "--task", "speech-translate:ja,ko:en", "--engine", "whisper.cpp:>=1.7 <2");
    assertThat(created.code()).as(created.toString()).isZero();
    manifest = Files.writeString(work.resolve("whisper-test.json"), created.out());
    assertThat(cli.run("install", manifest.toString()).code()).isZero();
    assertThat(cli.run("install", "silero-vad").code()).isZero();
  }

  @Test
  void transcribesTheSpeechThatVadFoundWithTheInstalledWhisperModel() throws Exception {
    Cli.Result r = cli.run("--json", "transcribe", "--lang", "ja", TestAudio.JA_16K_MONO.path().toString());
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("speech")).hasSize(1);
    assertThat(j.get("speech").get(0).get("start").asDouble()).isBetween(1.0, 1.1);
    assertThat(j.get("models").findValuesAsText("model")).containsExactly("silero-vad@6.0.0", "whisper-test@1.0.0");
    assertThat(j.get("models").findValuesAsText("requested")).containsExactly("vad", "ja-asr");
    assertThat(j.get("models").get(1).get("engine").asText()).isEqualTo("whisper.cpp 1.7.1");
    assertThat(j.get("segments")).as("a model with no tensors recognises nothing").isEmpty();
    assertThat(j.get("timings").get("loadMs").asLong()).isPositive();
  }

  @Test
  void aCorruptedWhisperModelIsRefusedWithExitThreeBeforeWhisperRuns() throws Exception {
    Cli other = new Cli(work.resolve("home-corrupt"));
    assertThat(other.run("install", manifest.toString()).code()).isZero();
    assertThat(other.run("install", "silero-vad").code()).isZero();
    Path blob;
    try (var files = Files.walk(work.resolve("home-corrupt/data/blobs"))) {
      blob = files.filter(Files::isRegularFile)
          .filter(p -> p.toFile().length() == work.resolve("whisper-test/ggml-test.bin").toFile().length())
          .findFirst().orElseThrow();
    }
    blob.toFile().setWritable(true);
    byte[] bytes = Files.readAllBytes(blob);
    bytes[100] ^= 0x01;
    Files.write(blob, bytes);

    Cli.Result r = other.run("transcribe", "--lang", "ko", TestAudio.KO_16K_MONO.path().toString(), "--translate");
    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    assertThat(r.err()).startsWith("soko: whisper-test@1.0.0").contains("ggml-test.bin");
    assertThat(r.err().lines()).hasSize(1);
    try (var scratch = Files.list(work.resolve("home-corrupt/cache/tmp"))) {
      assertThat(scratch.filter(p -> p.getFileName().toString().startsWith("whisper-")))
          .as("no whisper.cpp child was started").isEmpty();
    }
  }

  @Test
  void transcribeWithoutARecogniserSaysWhichAliasToPull() {
    Cli fresh = new Cli(work.resolve("home-fresh"));
    assertThat(fresh.run("install", "silero-vad").code()).isZero();
    Cli.Result r = fresh.run("transcribe", "--lang", "ko", "--translate", TestAudio.KO_16K_MONO.path().toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("soko: ko-en-speech is not installed: run `soko pull ko-en-speech`\n");
  }
}
