package soko.runtime.manager;

import soko.app.Soko;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static soko.runtime.manager.RuntimeFixtures.corrupt;
import static soko.runtime.manager.RuntimeFixtures.engines;
import static soko.runtime.manager.RuntimeFixtures.install;
import static soko.runtime.manager.RuntimeFixtures.jaEn;
import static soko.runtime.manager.RuntimeFixtures.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.runtime.manager.RuntimeFixtures.CountingEngine;
import soko.runtime.manager.RuntimeFixtures.ScriptedClock;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.manifest.TaskSpec;
import soko.runtime.Audio;
import soko.runtime.ModelUnavailableException;
import soko.runtime.Segment;
import soko.runtime.TranslationSession;
import soko.runtime.VoiceActivitySession;
import soko.store.ModelIntegrityException;

class EnginesTest {
  private static final long MB = 1 << 20;

  @TempDir
  Path dir;

  private final ScriptedClock clock = new ScriptedClock();
  private final CountingEngine engine = new CountingEngine();
  private Soko soko;

  @BeforeEach
  void open() throws Exception {
    soko = RuntimeFixtures.soko(dir.resolve("home"), clock);
  }

  @Test
  void aMissingModelNamesTheAliasToPull() throws Exception {
    try (Engines engines = engines(soko, settings(Duration.ofMinutes(5), 1 << 30), engine, clock)) {
      assertThatThrownBy(() -> engines.speech(Language.JA, false))
          .isInstanceOf(ModelUnavailableException.class)
          .hasMessage("ja-asr is not installed: run `soko pull ja-asr`");
      assertThatThrownBy(() -> engines.translate("こんにちは", Language.KO, Language.EN))
          .hasMessage("ko-en is not installed: run `soko pull ko-en`");
      assertThatThrownBy(() -> engines.transcribe(Audio.of(new float[1600]), Language.JA, true))
          .hasMessage("ja-en-speech is not installed: run `soko pull ja-en-speech`");
    }
    assertThat(engine.opens).hasValue(0);
  }

  @Test
  void theAliasCandidateThatIsInstalledRuns() throws Exception {
    install(soko, dir, "silero-vad", 1000, false, TaskSpec.vad());
    try (Engines engines = engines(soko, settings(Duration.ofMinutes(5), 1 << 30), engine, clock)) {
      SpeechRegions r = engines.detectSpeech(Audio.of(new float[16_000]));
      assertThat(r.model().requested()).isEqualTo("vad");
      assertThat(r.model().model()).isEqualTo("silero-vad@1.0.0");
      assertThat(r.segments()).hasSize(1);
    }
  }

  @Test
  void anInstalledModelOutsideTheAliasServesTheJobWhenItsManifestSaysSo() throws Exception {
    install(soko, dir, "my-whisper", 1000, false, TaskSpec.asr(Language.JA));
    try (Engines engines = engines(soko, settings(Duration.ofMinutes(5), 1 << 30), engine, clock)) {
      assertThat(engines.resolve(Need.asr(Language.JA)).id()).isEqualTo("my-whisper@1.0.0");
      assertThatThrownBy(() -> engines.resolve(Need.asr(Language.KO)))
          .hasMessage("ko-asr is not installed: run `soko pull ko-asr`");
    }
  }

  @Test
  void theDemoPhrasebookRunsOnlyWhenNoRealTranslatorIsInstalledAndSaysItIsADemo() throws Exception {
    install(soko, dir, "demo-phrasebook", 100, true, jaEn());
    try (Engines engines = engines(soko, settings(Duration.ZERO, 1 << 30), engine, clock)) {
      Translation demo = engines.translate("こんにちは", Language.JA, Language.EN);
      assertThat(demo.model().model()).isEqualTo("demo-phrasebook@1.0.0");
      assertThat(demo.model().demo()).isTrue();
      assertThat(demo.model().describe()).endsWith("— DEMO phrasebook, not real machine translation");

      install(soko, dir, "opus-mt-ja-en", 100, false, jaEn());
      Translation real = engines.translate("こんにちは", Language.JA, Language.EN);
      assertThat(real.model().model()).isEqualTo("opus-mt-ja-en@1.0.0");
      assertThat(real.model().demo()).isFalse();
      assertThat(real.text()).isEqualTo("en:こんにちは");
    }
  }

  @Test
  void twoCallersShareOneLoadedSession() throws Exception {
    install(soko, dir, "silero-vad", 1000, false, TaskSpec.vad());
    engine.holdLoads = new CountDownLatch(1);
    try (Engines engines = engines(soko, settings(Duration.ofMinutes(5), 1 << 30), engine, clock)) {
      CompletableFuture<Lease<VoiceActivitySession>> first = CompletableFuture.supplyAsync(() -> lease(engines));
      assertThat(engine.loadStarted.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Lease<VoiceActivitySession>> second = CompletableFuture.supplyAsync(() -> lease(engines));
      Thread.sleep(50); // let the second caller reach the pool while the first is still loading
      engine.holdLoads.countDown();
      try (Lease<VoiceActivitySession> a = first.get(10, TimeUnit.SECONDS);
          Lease<VoiceActivitySession> b = second.get(10, TimeUnit.SECONDS)) {
        assertThat(a.session()).isSameAs(b.session());
        assertThat(engine.opens).hasValue(1);
        assertThat(engines.loaded()).singleElement().satisfies(m -> assertThat(m.leases()).isEqualTo(2));
        assertThat(List.of(a.model().load().isZero(), b.model().load().isZero())).containsExactlyInAnyOrder(true, false);
      }
      assertThat(engines.loaded()).singleElement().satisfies(m -> assertThat(m.leases()).isZero());
      assertThat(engine.closes).hasValue(0);
    }
    assertThat(engine.closes).hasValue(1);
  }

  private static Lease<VoiceActivitySession> lease(Engines engines) {
    try {
      return engines.vad();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anIdleSessionIsUnloadedAfterTheIdleTimeAndReloadedOnNextUse() throws Exception {
    install(soko, dir, "silero-vad", 1000, false, TaskSpec.vad());
    try (Engines engines = engines(soko, settings(Duration.ofMinutes(5), 1 << 30), engine, clock)) {
      engines.vad().close();
      clock.advance(Duration.ofMinutes(4));
      assertThat(engines.unloadIdle()).isZero();
      try (Lease<VoiceActivitySession> _ = engines.vad()) {
        clock.advance(Duration.ofMinutes(10));
        assertThat(engines.unloadIdle()).as("a session in use is never unloaded").isZero();
      }
      clock.advance(Duration.ofMinutes(4));
      assertThat(engines.unloadIdle()).isZero();
      clock.advance(Duration.ofMinutes(1));
      assertThat(engines.unloadIdle()).isEqualTo(1);
      assertThat(engine.closes).hasValue(1);
      assertThat(engines.loaded()).isEmpty();
      engines.vad().close();
      assertThat(engine.opens).hasValue(2);
    }
  }

  @Test
  void withZeroIdleTimeASessionIsUnloadedWhenItsLastLeaseCloses() throws Exception {
    install(soko, dir, "silero-vad", 1000, false, TaskSpec.vad());
    try (Engines engines = engines(soko, settings(Duration.ZERO, 1 << 30), engine, clock)) {
      Lease<VoiceActivitySession> a = engines.vad();
      Lease<VoiceActivitySession> b = engines.vad();
      a.close();
      a.close();
      assertThat(engine.closes).hasValue(0);
      b.close();
      assertThat(engine.closes).hasValue(1);
      assertThatThrownBy(a::session).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void theBudgetUnloadsTheLeastRecentlyUsedIdleSessionFirst() throws Exception {
    install(soko, dir, "silero-vad", (int) MB, false, TaskSpec.vad());
    install(soko, dir, "opus-mt-ja-en", (int) MB, false, jaEn());
    install(soko, dir, "opus-mt-ko-en", (int) MB, false, TaskSpec.translate(Language.KO, Language.EN));
    try (Engines engines = engines(soko, settings(Duration.ofHours(1), 2 * MB), engine, clock)) {
      engines.vad().close();
      clock.advance(Duration.ofSeconds(1));
      engines.translation(Language.JA, Language.EN).close();
      clock.advance(Duration.ofSeconds(1));
      engines.vad().close(); // vad is now more recently used than ja-en
      clock.advance(Duration.ofSeconds(1));
      engines.translation(Language.KO, Language.EN).close();
      assertThat(engines.loaded()).extracting(LoadedModel::model)
          .containsExactlyInAnyOrder("silero-vad@1.0.0", "opus-mt-ko-en@1.0.0");
      assertThat(engine.opens).hasValue(3);
      assertThat(engine.closes).hasValue(1);
    }
  }

  @Test
  void theBudgetNeverUnloadsASessionInUse() throws Exception {
    install(soko, dir, "silero-vad", (int) MB, false, TaskSpec.vad());
    install(soko, dir, "opus-mt-ja-en", (int) MB, false, jaEn());
    try (Engines engines = engines(soko, settings(Duration.ofHours(1), MB), engine, clock);
        Lease<VoiceActivitySession> vad = engines.vad();
        Lease<TranslationSession> _ = engines.translation(Language.JA, Language.EN)) {
      assertThat(engines.loaded()).hasSize(2);
      assertThat(vad.session().detect(Audio.of(new float[160]))).hasSize(1);
      assertThat(engine.closes).hasValue(0);
    }
  }

  @Test
  void aCorruptModelIsRefusedBeforeAnyEngineOpensIt() throws Exception {
    Manifest vad = install(soko, dir, "silero-vad", 4096, false, TaskSpec.vad());
    corrupt(soko, vad);
    try (Engines engines = engines(soko, settings(Duration.ofMinutes(5), 1 << 30), engine, clock)) {
      assertThatThrownBy(engines::vad)
          .isInstanceOf(ModelIntegrityException.class)
          .hasMessageContaining("silero-vad@1.0.0");
      assertThatThrownBy(() -> engines.detectSpeech(Audio.of(new float[160])))
          .isInstanceOf(ModelIntegrityException.class);
    }
    assertThat(engine.opens).hasValue(0);
  }

  @Test
  void aFileChangedAfterLoadingIsCaughtOnTheNextUse() throws Exception {
    Manifest vad = install(soko, dir, "silero-vad", 4096, false, TaskSpec.vad());
    try (Engines engines = engines(soko, settings(Duration.ofMinutes(5), 1 << 30), engine, clock)) {
      engines.vad().close();
      corrupt(soko, vad);
      assertThatThrownBy(engines::vad).isInstanceOf(ModelIntegrityException.class);
    }
    assertThat(engine.opens).hasValue(1);
  }

  @Test
  void transcriptionRunsTheRecogniserOnSpeechOnlyAndTimesTextFromTheStartOfTheRecording() throws Exception {
    install(soko, dir, "silero-vad", 100, false, TaskSpec.vad());
    install(soko, dir, "whisper-base", 100, false, TaskSpec.asr(Language.JA));
    try (Engines engines = engines(soko, settings(Duration.ofMinutes(5), 1 << 30), engine, clock)) {
      Transcript silence = engines.transcribe(Audio.of(new float[0]), Language.JA, false);
      assertThat(silence.segments()).isEmpty();
      assertThat(silence.models()).extracting(ModelUse::model).containsExactly("silero-vad@1.0.0");
      assertThat(engine.opens).as("no recogniser is loaded for silence").hasValue(1);

      Transcript t = engines.transcribe(Audio.of(new float[16_000]), Language.JA, false);
      assertThat(t.segments()).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("[ja] 16000 samples"));
      assertThat(t.models()).extracting(ModelUse::requested).containsExactly("vad", "ja-asr");
    }
  }

  @Test
  void chunksArePaddedJoinedWhenCloseAndCutToTheWindow() {
    long a = 70L * Audio.SAMPLE_RATE;
    List<Chunks.Chunk> c = Chunks.of(List.of(
        Segment.speech(Duration.ofMillis(1000), Duration.ofMillis(2000)),
        Segment.speech(Duration.ofMillis(2500), Duration.ofMillis(3000)),
        Segment.speech(Duration.ofSeconds(5), Duration.ofSeconds(69))), a);
    assertThat(c).containsExactly(
        new Chunks.Chunk(12_800, 51_200),
        new Chunks.Chunk(76_800, 76_800 + 480_000),
        new Chunks.Chunk(76_800 + 480_000, 76_800 + 960_000),
        new Chunks.Chunk(76_800 + 960_000, 69 * 16_000 + 3_200));
  }

  @Test
  void afterAnEngineCrashTheNextUseReloadsThroughVerificationAndCatchesAChangedFile() throws Exception {
    Manifest m = install(soko, dir, "opus-mt-ja-en", 1000, false, jaEn());
    try (Engines engines = engines(soko, settings(Duration.ofMinutes(5), 1 << 30), engine, clock)) {
      assertThat(engines.translate("a", Language.JA, Language.EN).text()).isEqualTo("en:a");
      engine.crashNextCall = true;
      assertThatThrownBy(() -> engines.translate("b", Language.JA, Language.EN))
          .isInstanceOf(soko.runtime.EngineCrashedException.class);
      assertThat(engines.translate("c", Language.JA, Language.EN).text()).isEqualTo("en:c");
      assertThat(engine.opens.get()).as("reloaded after the crash").isEqualTo(2);
      assertThat(engine.closes.get()).as("the crashed session was closed").isEqualTo(1);
      engine.crashNextCall = true;
      assertThatThrownBy(() -> engines.translate("d", Language.JA, Language.EN))
          .isInstanceOf(soko.runtime.EngineCrashedException.class);
      corrupt(soko, m);
      assertThatThrownBy(() -> engines.translate("e", Language.JA, Language.EN))
          .isInstanceOf(ModelIntegrityException.class);
      assertThat(engine.opens.get()).as("no engine opened the changed file").isEqualTo(2);
    }
  }
}
