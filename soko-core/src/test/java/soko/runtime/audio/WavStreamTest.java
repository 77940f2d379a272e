package soko.runtime.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import soko.internal.io.RegularFiles;
import soko.runtime.AudioFormatException;
import soko.runtime.AudioStream;
import soko.testkit.TestAudio;

/** {@link Wav#open}: a WAV file read block by block gives exactly what reading it whole gives. */
class WavStreamTest {
  @TempDir
  Path dir;

  static float[] readAll(AudioStream s, int bufferSize) throws Exception {
    float[] all = new float[0];
    float[] buffer = new float[bufferSize];
    int n;
    while ((n = s.read(buffer)) > 0) {
      int at = all.length;
      all = Arrays.copyOf(all, at + n);
      System.arraycopy(buffer, 0, all, at, n);
    }
    assertThat(n).isEqualTo(-1);
    assertThat(s.read(buffer)).as("still at the end").isEqualTo(-1);
    return all;
  }

  @ParameterizedTest
  @CsvSource({"PCM_S16,1,16000,7", "PCM_S16,2,44100,1000", "PCM_U8,1,8000,65536", "FLOAT32,2,48000,333",
      "PCM_S24,1,22050,4096", "FLOAT64,1,11025,1", "PCM_S32,2,32000,100000"})
  void aStreamGivesTheSamplesReadingWholeGivesWhateverTheBufferSize(Encoding encoding, int channels, int rate, int buffer)
      throws Exception {
    int frames = rate * 3 + 17; // several 64 KiB blocks and a partial one
    double[][] tone = new double[channels][];
    for (int c = 0; c < channels; c++) {
      tone[c] = TestWav.sine(440 + 100 * c, 0.5, rate, frames);
    }
    Path file = Files.write(dir.resolve("tone.wav"), TestWav.of(encoding, channels, rate, tone).bytes());
    float[] whole = Wav.read(file).toArray();

    try (AudioStream s = Wav.open(file)) {
      assertThat(s.length()).isEqualTo(whole.length);
      assertThat(readAll(s, buffer)).isEqualTo(whole);
    }
  }

  @Test
  void theEspeakClipStreamsLikeItReads() throws Exception {
    for (TestAudio clip : TestAudio.values()) {
      try (AudioStream s = Wav.open(clip.path())) {
        assertThat(readAll(s, 4096)).as(clip.name()).isEqualTo(Wav.read(clip.path()).toArray());
      }
    }
  }

  @Test
  void openingReadsOnlyTheHeaderAndAFileCutWhileItIsReadFailsWhereItEnds() throws Exception {
    TestWav w = TestWav.of(Encoding.PCM_S16, 1, 16_000, new double[][] {TestWav.sine(440, 0.5, 16_000, 200_000)});
    byte[] bytes = w.bytes();
    Path file = Files.write(dir.resolve("cut.wav"), bytes);

    try (AudioStream s = Wav.open(file)) {
      assertThat(s.length()).isEqualTo(200_000);
      assertThat(s.read(new float[1000])).isEqualTo(1000);
      try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
        raf.setLength(bytes.length - 1000);
      }
      assertThatThrownBy(() -> readAll(s, 1000))
          .isInstanceOf(AudioFormatException.class)
          .hasMessage("cut.wav: the file ends inside the data chunk (199500 of 200000 frames are present); the file is"
              + " truncated");
    }
    assertThatThrownBy(() -> Wav.open(file)).as("already cut when opened: refused from its header")
        .hasMessage("cut.wav: the data chunk declares 400000 bytes, but only 399000 remain in the file; the file is"
            + " truncated or its header is wrong");
  }

  @Test
  void aFifoIsRefusedWithoutOpeningIt() throws Exception {
    Path fifo = dir.resolve("speech.wav");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "skipped: mkfifo is not available here");

    // Opening a FIFO for reading blocks until a writer comes: the call runs apart, so a hang fails the test.
    CompletableFuture<Throwable> opened = CompletableFuture.supplyAsync(() -> {
      try (AudioStream _ = Wav.open(fifo)) {
        return null;
      } catch (Exception e) {
        return e;
      }
    });

    assertThat(opened.get(60, TimeUnit.SECONDS))
        .isInstanceOf(RegularFiles.NotRegularFileException.class)
        .hasMessage(fifo + " is not a regular file but a FIFO (named pipe)");
  }
}
