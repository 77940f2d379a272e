package soko.engine.whisper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Language;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.runtime.EngineCrashedException;
import soko.runtime.EngineOptions;
import soko.runtime.ModelUnavailableException;
import soko.runtime.Segment;
import soko.testkit.ggml.WhisperTestModel;

/**
 * whisper.cpp in its child process, on the testkit's empty model. Each full transcription takes
 * seconds on a small machine, so these tests run few of them: audio under one second makes
 * whisper.cpp return before its encoder, which is enough to prove the channel works.
 */
class ChildProcessTest {
  private static final Duration WHOLE_PIPELINE = Duration.ofMillis(1_500);
  private static final Duration TOO_SHORT_TO_DECODE = Duration.ofMillis(500);

  @TempDir Path dir;

  private Path model() throws Exception {
    return WhisperTestModel.tinyMultilingual().writeTo(dir.resolve(TestModels.FILE_NAME));
  }

  private EngineOptions options() {
    return new EngineOptions(2, dir.resolve("scratch"), true);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  @Test
  void transcribesInOneChildThatServesEveryCallAndEndsOnClose() throws Exception {
    var verified = TestModels.verified(model());
    long t0 = System.nanoTime();
    var session = (WhisperSpeechSession) new WhisperEngineProvider().open(verified, Task.ASR, options());
    System.out.printf("measured: open (child start + model load) %.2f s%n", seconds(t0));
    ProcessHandle child = session.childProcess().orElseThrow();

    long t1 = System.nanoTime();
    List<Segment> first = session.transcribe(TestModels.tone(WHOLE_PIPELINE.toMillis() / 1000.0), Language.JA, false);
    System.out.printf("measured: transcribe %d ms of audio %.2f s%n", WHOLE_PIPELINE.toMillis(), seconds(t1));
    long t2 = System.nanoTime();
    List<Segment> second = session.transcribe(TestModels.tone(TOO_SHORT_TO_DECODE.toMillis() / 1000.0), Language.KO, true);
    System.out.printf("measured: transcribe %d ms of audio %.2f s%n", TOO_SHORT_TO_DECODE.toMillis(), seconds(t2));

    assertThat(first).isEmpty();
    assertThat(second).isEmpty();
    assertThat(session.childProcess()).contains(child);
    session.close();
    assertThat(child.isAlive()).isFalse();
    session.close();
    assertThatThrownBy(() -> session.transcribe(TestModels.tone(0.1), Language.JA, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the whisper.cpp session for whisper-test@1.0.0 is closed");
  }

  @Test
  void concurrentCallsTakeTurnsInTheOneChild() throws Exception {
    var verified = TestModels.verified(model());
    try (var session = (WhisperSpeechSession) new WhisperEngineProvider().open(verified, Task.ASR, options());
        var pool = Executors.newFixedThreadPool(3)) {
      ProcessHandle child = session.childProcess().orElseThrow();
      List<Callable<List<Segment>>> calls = List.of(
          () -> session.transcribe(TestModels.tone(0.5), Language.JA, false),
          () -> session.transcribe(TestModels.tone(0.4), Language.KO, false),
          () -> session.transcribe(TestModels.tone(0.3), Language.JA, true));

      List<List<Segment>> results = new ArrayList<>();
      for (Future<List<Segment>> f : pool.invokeAll(calls)) {
        results.add(f.get());
      }

      assertThat(results).containsExactly(List.of(), List.of(), List.of());
      assertThat(session.childProcess()).contains(child);
    }
  }

  @Test
  void aLanguageTheModelDoesNotDeclareIsRefusedBeforeWhisperCppSeesIt() throws Exception {
    var verified = TestModels.verified(model(), List.of(TaskSpec.asr(Language.JA)));
    try (var session = new WhisperEngineProvider().open(verified, Task.ASR, options())) {
      var speech = (WhisperSpeechSession) session;

      assertThatThrownBy(() -> speech.transcribe(TestModels.tone(0.5), Language.KO, false))
          .isInstanceOf(ModelUnavailableException.class)
          .hasMessage("model whisper-test@1.0.0 does not do asr for ko; it does [asr ja]: install a model that does");
      assertThatThrownBy(() -> speech.transcribe(TestModels.tone(0.5), Language.JA, true))
          .isInstanceOf(ModelUnavailableException.class)
          .hasMessage("model whisper-test@1.0.0 does not do speech-translate for ja; it does [asr ja]: install a model that does");
    }
  }

  @Test
  void aKilledChildFailsTheNextCallAndTheCallAfterStartsANewOne() throws Exception {
    var verified = TestModels.verified(model());
    try (var session = (WhisperSpeechSession) new WhisperEngineProvider().open(verified, Task.ASR, options())) {
      ProcessHandle child = session.childProcess().orElseThrow();
      Path log = Files.list(dir.resolve("scratch")).findFirst().orElseThrow().resolve("child.log");
      child.destroyForcibly();
      child.onExit().get(10, TimeUnit.SECONDS);

      assertThatThrownBy(() -> session.transcribe(TestModels.tone(0.5), Language.JA, false))
          .isInstanceOf(EngineCrashedException.class)
          .hasMessage("whisper.cpp running model whisper-test@1.0.0 stopped between calls (exit status 137: SIGKILL, killed);"
              + " the next call restarts it; if this repeats, verify or reinstall the model (log: " + log + ")");
      List<Segment> after = session.transcribe(TestModels.tone(0.5), Language.JA, false);

      assertThat(after).isEmpty();
      assertThat(session.childProcess()).get().isNotEqualTo(child);
    }
  }

  @Test
  void aChildIsNotStartedAgainOnAModelFileThatChangedSinceItWasVerified() throws Exception {
    Path file = model();
    var plain = TestModels.verified(file);
    long size = Files.size(file);
    var mtime = Files.getLastModifiedTime(file);
    // The store's handle compares full stamps; size and modification time are enough for this test.
    var watched = new soko.model.VerifiedModel(plain.manifest(), plain.files(), plain.verifiedAt(), () -> {
      try {
        return Files.size(file) == size && Files.getLastModifiedTime(file).equals(mtime)
            ? List.of() : List.of(TestModels.FILE_NAME);
      } catch (java.io.IOException e) {
        return List.of(TestModels.FILE_NAME);
      }
    });
    try (var session = (WhisperSpeechSession) new WhisperEngineProvider().open(watched, Task.ASR, options())) {
      ProcessHandle child = session.childProcess().orElseThrow();
      child.destroyForcibly();
      child.onExit().get(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> session.transcribe(TestModels.tone(0.5), Language.JA, false))
          .isInstanceOf(EngineCrashedException.class);
      Files.write(file, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);

      assertThatThrownBy(() -> session.transcribe(TestModels.tone(0.5), Language.JA, false))
          .isInstanceOf(ModelUnavailableException.class)
          .hasMessage("model whisper-test@1.0.0 changed since it was verified (" + TestModels.FILE_NAME + "); open the"
              + " model again, so that Soko verifies it again (or run `soko verify --full`)");
      assertThat(session.childProcess()).as("no child opened the changed file").isEmpty();
    }
  }

  @Test
  void aCallOverTheTimeLimitKillsTheChild() throws Exception {
    var verified = TestModels.verified(model());
    var timeouts = new WhisperEngineProvider.Timeouts(Duration.ofMinutes(5), Duration.ofMillis(10), Duration.ZERO);
    try (var session = (WhisperSpeechSession) new WhisperEngineProvider(timeouts).open(verified, Task.ASR, options())) {
      ProcessHandle child = session.childProcess().orElseThrow();

      assertThatThrownBy(() -> session.transcribe(TestModels.tone(WHOLE_PIPELINE.toMillis() / 1000.0), Language.JA, false))
          .isInstanceOf(EngineCrashedException.class)
          .hasMessage("whisper.cpp running model whisper-test@1.0.0 took longer than 10 ms while transcribing 1.5 s of audio"
              + " and was stopped; the next call restarts it (allow more time or give it shorter audio)");
      assertThat(child.isAlive()).isFalse();
      assertThat(session.childProcess()).isEmpty();
    }
  }

  @Test
  void anAbortedChildFailsTheNextCallAndTheCallAfterStartsANewOne() throws Exception {
    // abort() raises SIGABRT. The Java checks now refuse every malformed file known to make
    // whisper.cpp abort (see theFileThatOnceAbortedWhisperCppIsNowRefusedBeforeAnyChildStarts), so
    // the signal is sent to the child directly.
    var verified = TestModels.verified(model());
    try (var session = (WhisperSpeechSession) new WhisperEngineProvider().open(verified, Task.ASR, options())) {
      ProcessHandle child = session.childProcess().orElseThrow();
      Path log = Files.list(dir.resolve("scratch")).findFirst().orElseThrow().resolve("child.log");
      Process kill = new ProcessBuilder("kill", "-ABRT", Long.toString(child.pid())).inheritIO().start();
      assertThat(kill.waitFor()).isZero();
      child.onExit().get(10, TimeUnit.SECONDS);

      assertThatThrownBy(() -> session.transcribe(TestModels.tone(0.5), Language.JA, false))
          .isInstanceOf(EngineCrashedException.class)
          .hasMessage("whisper.cpp running model whisper-test@1.0.0 stopped between calls (exit status 134: SIGABRT, an"
              + " abort in whisper.cpp); the next call restarts it; if this repeats, verify or reinstall the model (log: "
              + log + ")");
      assertThat(session.transcribe(TestModels.tone(0.5), Language.JA, false)).isEmpty();
      assertThat(session.childProcess()).get().isNotEqualTo(child);
    }
  }

  @Test
  void theFileThatOnceAbortedWhisperCppIsNowRefusedBeforeAnyChildStarts() throws Exception {
    // A tensor record whose name length is -1 makes whisper.cpp throw std::length_error, which ends
    // its process with abort(). The tensor records are checked in Java first.
    byte[] model = WhisperTestModel.tinyMultilingual().toBytes();
    ByteBuffer bad = ByteBuffer.allocate(model.length + 16).order(ByteOrder.LITTLE_ENDIAN);
    bad.put(model).putInt(1).putInt(-1).putInt(0).putInt(384);
    Path file = Files.write(dir.resolve(TestModels.FILE_NAME), bad.array());
    var verified = TestModels.verified(file);

    assertThatThrownBy(() -> new WhisperEngineProvider().open(verified, Task.ASR, options()))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("whisper.cpp refused model whisper-test@1.0.0: ggml-test.bin is not a whisper.cpp ggml model"
            + " (tensor #0 claims a name of 4294967295 bytes, outside 1..256); it is the file its manifest names (its sha256"
            + " matches), so reinstalling would give the same bytes: ask the model's publisher for a fixed version, or"
            + " install another model for this task (`soko rm whisper-test` removes this one)");
    assertThat(dir.resolve("scratch")).doesNotExist();
  }

  @Test
  void aTruncatedModelIsRefusedInTheChildAndTheHostCarriesOn() throws Exception {
    // The provider refuses such a file before starting a child; the child checks again before it
    // loads, in case the file is replaced in between.
    Path cut = WhisperTestModel.tinyMultilingual().writeTruncatedTo(dir.resolve(TestModels.FILE_NAME), 1_000);
    var verified = TestModels.verified(cut);
    var child = new ChildWhisper(new ModelRef(verified.manifest().id(), cut, verified::changedSinceVerified), 2,
        Duration.ofMinutes(1), dir.resolve("scratch"));

    try {
      assertThatThrownBy(child::start)
          .isInstanceOf(ModelUnavailableException.class)
          .hasMessage("whisper.cpp refused model whisper-test@1.0.0: ggml-test.bin is not a whisper.cpp ggml model"
              + " (it ends at byte 1000, inside the mel filters (which need 64376 bytes); the file is cut short); it is"
              + " the file its manifest names (its sha256 matches), so reinstalling would give the same bytes: ask the"
              + " model's publisher for a fixed version, or install another model for this task (`soko rm whisper-test`"
              + " removes this one)");
    } finally {
      child.close();
    }
    assertThat(ProcessHandle.current().children()
        .filter(p -> p.info().commandLine().orElse("").contains(WhisperChild.class.getName()))).isEmpty();
    assertThat(dir.resolve("scratch")).isEmptyDirectory();
  }
}
