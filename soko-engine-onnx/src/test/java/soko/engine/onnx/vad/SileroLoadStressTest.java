package soko.engine.onnx.vad;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Task;
import soko.model.VerifiedModel;
import soko.runtime.Audio;
import soko.runtime.EngineOptions;
import soko.runtime.Segment;
import soko.runtime.VoiceActivitySession;
import soko.runtime.audio.Wav;
import soko.testkit.TestAudio;

/**
 * Loads and closes Silero VAD sessions from several threads at once, platform and virtual, while
 * other sessions of the same model score audio and one is closed under a running stream: every
 * session must find exactly the segments a lone session finds, and a session closed under a
 * stream must refuse the next window with {@link IllegalStateException}, never crash the JVM (a
 * SIGSEGV inside {@code OrtSession.createSession} was seen once on a loaded machine). Two rounds in
 * every build; {@code -Dsoko.vad.stress.rounds=50} runs more.
 */
class SileroLoadStressTest {
  private static final int THREADS = 6;

  @TempDir
  Path dir;

  @Test
  void parallelLoadsScoresAndClosesAgreeWithALoneSession() throws Exception {
    int rounds = Integer.getInteger("soko.vad.stress.rounds", 2);
    VerifiedModel model = BundledSileroVad.copyTo(Files.createDirectory(dir.resolve("model")));
    EngineOptions options = new EngineOptions(1, Files.createDirectory(dir.resolve("scratch")), false);
    SileroVadProvider provider = new SileroVadProvider();
    Audio audio = Wav.read(TestAudio.JA_16K_MONO.path());
    List<Segment> expected;
    try (VoiceActivitySession lone = provider.open(model, Task.VAD, options)) {
      expected = lone.detect(audio);
    }
    assertThat(expected).isNotEmpty();
    try (ExecutorService platform = Executors.newFixedThreadPool(THREADS);
        ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int round = 0; round < rounds; round++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Segment>>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          ExecutorService on = t % 2 == 0 ? platform : virtual;
          results.add(on.submit(() -> {
            start.await();
            try (VoiceActivitySession s = provider.open(model, Task.VAD, options)) {
              return s.detect(audio);
            }
          }));
        }
        // One session closed while its stream is scoring.
        VoiceActivitySession doomed = provider.open(model, Task.VAD, options);
        Future<String> closedUnder = platform.submit(() -> {
          start.await();
          try (VoiceActivitySession.Stream stream = doomed.stream()) {
            float[] block = new float[1600];
            for (int i = 0; i < 2_000; i++) {
              stream.accept(block);
            }
            return "finished before the close";
          } catch (IllegalStateException closed) {
            return closed.getMessage();
          }
        });
        start.countDown();
        doomed.close();
        for (Future<List<Segment>> r : results) {
          assertThat(r.get()).as("round %d", round).isEqualTo(expected);
        }
        assertThat(closedUnder.get()).isIn("the VAD session is closed", "finished before the close");
      }
    }
  }
}
