package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.testkit.TestAudio;

/**
 * Audio is read as a stream: the models are checked before any audio is read, {@code vad} on a
 * long recording runs in a heap far smaller than the recording, and a FIFO is never opened.
 */
class LongAudioTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;

  static Cli cli;

  @BeforeAll
  static void installVad() {
    cli = new Cli(work.resolve("home"));
    assertThat(cli.run("install", "silero-vad").code()).isZero();
  }

  /**
   * A 16 kHz mono 16-bit WAV file of {@code minutes}: the espeak-ng Japanese clip (1 s of silence,
   * speech, 1 s of silence) over and over.
   */
  static Path longWav(Path file, int minutes) throws IOException {
    byte[] clip = TestAudio.JA_16K_MONO.bytes();
    ByteBuffer header = ByteBuffer.wrap(clip, 0, 44).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new String(clip, 36, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("data");
    int dataBytes = header.getInt(40);
    long total = (long) minutes * 60 * 16_000 * 2;
    total -= total % 2;
    ByteBuffer out = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    out.put(clip, 0, 44).putInt(4, (int) (36 + total)).putInt(40, (int) total);
    try (OutputStream o = Files.newOutputStream(file)) {
      o.write(out.array());
      for (long written = 0; written < total; ) {
        int n = (int) Math.min(dataBytes, total - written);
        o.write(clip, 44, n);
        written += n;
      }
    }
    return file;
  }

  @Test
  void transcribeChecksTheModelsBeforeReadingTheAudio() throws Exception {
    Path notWav = Files.writeString(work.resolve("notes.wav"), "these are not samples");

    Cli.Result r = cli.run("transcribe", "--lang", "ja", notWav.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("soko: ja-asr is not installed: run `soko pull ja-asr`\n");
  }

  @Test
  void vadOnTenMinutesOfSpeechRunsInA32MebibyteHeap() throws Exception {
    Path wav = longWav(work.resolve("ten-minutes.wav"), 10);
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx32m",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--home", work.resolve("home").toString(), "--json", "vad", wav.toString()));
    Process p = new ProcessBuilder(cmd).redirectError(work.resolve("vad.err").toFile()).start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
      try {
        return p.getInputStream().readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("vad finished").isTrue();
    String err = Files.readString(work.resolve("vad.err"));

    assertThat(p.exitValue()).as(err).isZero();
    assertThat(err).doesNotContain("OutOfMemoryError");
    JsonNode r = JSON.readTree(out.get());
    assertThat(r.get("audioSeconds").asDouble()).isEqualTo(600.0);
    int clips = (int) Math.ceil(600.0 / (TestAudio.JA_16K_MONO.bytes().length / 32_000.0));
    assertThat(r.get("segments").size()).as("speech in every repetition of the clip").isGreaterThanOrEqualTo(clips - 1);
    JsonNode last = r.get("segments").get(r.get("segments").size() - 1);
    assertThat(last.get("end").asDouble()).as("speech found up to the end").isBetween(590.0, 600.0);
  }

  @Test
  void aFifoGivenAsAWavFileIsRefusedWithoutBlocking() throws Exception {
    Path fifo = work.resolve("live.wav");
    Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
        "skipped: mkfifo is not available here");

    CompletableFuture<Cli.Result> vad = CompletableFuture.supplyAsync(() -> cli.run("vad", fifo.toString()));
    CompletableFuture<Cli.Result> transcribe = CompletableFuture.supplyAsync(
        () -> cli.run("transcribe", "--lang", "ja", fifo.toString()));

    Cli.Result r = vad.get(60, TimeUnit.SECONDS);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("soko: " + fifo + " is not a regular file (it is a device, a FIFO or a socket); give"
        + " a .wav file\n");
    assertThat(transcribe.get(60, TimeUnit.SECONDS).err()).isEqualTo(r.err());
  }
}
