package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code soko vad} and {@code soko translate} with the real bundled models and engines. */
class RunCommandsTest {
  private static final Path DEMO_WAV = Path.of("src/main/resources/soko/demo/ja-16k-mono.wav");

  @TempDir
  static Path home;

  @TempDir
  Path empty;

  static Cli cli;

  @BeforeAll
  static void installBundled() {
    cli = new Cli(home);
    assertThat(cli.run("install", "silero-vad").code()).isZero();
    assertThat(cli.run("install", "demo-phrasebook").code()).isZero();
  }

  @Test
  void vadOnTheCommittedJapaneseClipFindsOneSegmentStartingAfterTheOneSecondPad() {
    Cli.Result r = cli.run("vad", DEMO_WAV.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    Matcher m = Pattern.compile("^  (\\d+\\.\\d\\d) s – (\\d+\\.\\d\\d) s$", Pattern.MULTILINE).matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isBetween(1.0, 1.1);
    assertThat(Double.parseDouble(m.group(2))).isBetween(3.0, 3.6);
    assertThat(m.find()).as("exactly one segment").isFalse();
    assertThat(r.out()).contains("1 speech segment").contains("model: silero-vad@6.0.0 (onnxruntime ");
  }

  @Test
  void vadJsonHasSegmentsTimingsAndTheModel() throws Exception {
    Cli.Result r = cli.run("--json", "vad", DEMO_WAV.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("segments")).hasSize(1);
    assertThat(j.get("segments").get(0).get("start").asDouble()).isBetween(1.0, 1.1);
    assertThat(j.get("models").get(0).get("model").asText()).isEqualTo("silero-vad@6.0.0");
    assertThat(j.get("timings").get("loadMs").isIntegralNumber()).isTrue();
    assertThat(j.get("timings").get("runMs").isIntegralNumber()).isTrue();
  }

  @Test
  void badAudioIsOneLineAndExitOne() throws Exception {
    Path notWav = Files.writeString(empty.resolve("notes.wav"), "hello, not audio");
    Cli.Result r = cli.run("vad", notWav.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("soko: notes.wav: not a WAV file (it does not start with RIFF....WAVE); convert it to"
        + " WAV (e.g. ffmpeg -i in.m4a -ar 16000 -ac 1 out.wav)\n");
    Cli.Result missing = cli.run("vad", empty.resolve("nope.wav").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("soko: " + empty.resolve("nope.wav") + " does not exist; give a .wav file\n");
  }

  @Test
  void vadWithoutAnInstalledModelSaysWhatToPull() {
    Cli.Result r = new Cli(empty.resolve("home")).run("vad", DEMO_WAV.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("soko: vad is not installed: run `soko pull vad`\n");
  }

  @Test
  void translateThroughThePhrasebookSaysItIsADemo() {
    Cli.Result r = cli.run("translate", "--from", "ja", "駅はどこですか");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("Where is the station?\n");
    assertThat(r.err()).startsWith("translated by demo-phrasebook@1.0.0 (soko-phrasebook 1.0.0) — DEMO phrasebook,"
        + " not real machine translation; load ");
  }

  @Test
  void translateReadsStandardInputLineByLineWhenNoTextIsGiven() throws Exception {
    InputStream saved = System.in;
    try {
      System.setIn(new ByteArrayInputStream("안녕하세요\n감사합니다\n".getBytes(StandardCharsets.UTF_8)));
      Cli.Result r = cli.run("--json", "translate", "--from", "ko", "--to", "en");
      assertThat(r.code()).as(r.toString()).isZero();
      JsonNode j = new ObjectMapper().readTree(r.out());
      assertThat(j.get("translations")).hasSize(2);
      assertThat(j.get("translations").get(0).get("source").asText()).isEqualTo("안녕하세요");
      assertThat(j.get("translations").get(1).get("text").asText()).isEqualTo("Thank you");
      assertThat(j.get("models").get(0).get("demo").asBoolean()).isTrue();
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void translateWithoutAModelSaysWhatToPull() {
    Cli.Result r = new Cli(empty.resolve("home")).run("translate", "--from", "ja", "こんにちは");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("soko: ja-en is not installed: run `soko pull ja-en`\n");
  }

  @Test
  void translateRefusesATargetOtherThanEnglishAsUsage() {
    Cli.Result r = cli.run("translate", "--from", "ja", "--to", "fr", "こんにちは");
    assertThat(r.code()).isEqualTo(2);
  }

  @Test
  void theDemoRunsVadAndThePhrasebookOnBundledInputs() {
    Cli.Result r = new Cli(empty.resolve("demo-home")).run("demo");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("  speech 1\\.0\\d s – 3\\.\\d\\d s of 4\\.51 s")
        .contains("  ja  駅はどこですか  →  Where is the station?")
        .contains("  ko  안녕하세요  →  Hello")
        .contains("this is NOT real machine translation");
  }
}
