package soko.engine.onnx.vad;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Task;
import soko.runtime.Audio;
import soko.runtime.EngineOptions;
import soko.runtime.VoiceActivitySession;
import soko.runtime.audio.Wav;
import soko.testkit.TestAudio;

/** Prints the real-time factor of Silero VAD on one thread (in target/surefire-reports); asserts no timing. */
class VadRealTimeFactorTest {
  private static final int RUNS = 5;

  @Test
  void printsTheRealTimeFactorOnOneThread(@TempDir Path dir) throws Exception {
    var model = BundledSileroVad.copyTo(Files.createDirectory(dir.resolve("model")));
    Audio audio = Wav.read(TestAudio.KO_16K_MONO.path());
    try (VoiceActivitySession vad = new SileroVadProvider()
        .open(model, Task.VAD, new EngineOptions(1, Files.createDirectory(dir.resolve("scratch")), false))) {
      int expected = vad.detect(audio).size(); // warm-up
      long best = Long.MAX_VALUE;
      long total = 0;
      for (int i = 0; i < RUNS; i++) {
        long t0 = System.nanoTime();
        assertThat(vad.detect(audio)).hasSize(expected);
        long t = System.nanoTime() - t0;
        best = Math.min(best, t);
        total += t;
      }
      double seconds = audio.duration().toNanos() / 1e9;
      System.out.printf("Silero VAD, 1 thread: %.2f s of audio in %.1f ms (best) / %.1f ms (mean of %d):"
          + " real-time factor %.4f (best) / %.4f (mean)%n", seconds, best / 1e6, total / 1e6 / RUNS, RUNS,
          best / 1e9 / seconds, total / 1e9 / RUNS / seconds);
      assertThat(Duration.ofNanos(best)).isPositive();
    }
  }
}
