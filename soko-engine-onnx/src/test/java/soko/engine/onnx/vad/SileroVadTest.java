package soko.engine.onnx.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import soko.engine.onnx.OrtRuntime;
import soko.manifest.EngineRequirement;
import soko.manifest.Manifest;
import soko.manifest.Task;
import soko.manifest.VersionRange;
import soko.model.VerifiedModel;
import soko.runtime.Audio;
import soko.runtime.EngineCrashedException;
import soko.runtime.EngineOptions;
import soko.runtime.EngineProvider;
import soko.runtime.EngineSession;
import soko.runtime.ModelUnavailableException;
import soko.runtime.Segment;
import soko.runtime.VoiceActivitySession;
import soko.runtime.audio.Wav;
import soko.testkit.TestAudio;

class SileroVadTest {
  @TempDir static Path dir;
  static VerifiedModel model;
  static EngineOptions options;
  static VoiceActivitySession vad;

  @BeforeAll
  static void open() throws Exception {
    model = BundledSileroVad.copyTo(Files.createDirectory(dir.resolve("model")));
    options = new EngineOptions(1, Files.createDirectory(dir.resolve("scratch")), false);
    vad = new SileroVadProvider().open(model, Task.VAD, options);
  }

  @AfterAll
  static void close() {
    vad.close();
  }

  @Test
  void findsTheJapaneseSentenceAsOneSegment() throws Exception {
    Audio audio = Wav.read(TestAudio.JA_16K_MONO.path());
    Extent spoken = Extent.of(audio);

    List<Segment> segments = vad.detect(audio);

    System.out.printf("ja: spoken %s, VAD %s%n", spoken, segments);
    assertThat(segments).hasSize(1);
    assertThat(segments.getFirst().start()).isBetween(spoken.start().minusMillis(150), spoken.start().plusMillis(100));
    assertThat(segments.getFirst().end()).isBetween(spoken.end().minusMillis(300), spoken.end().plusMillis(300));
  }

  @Test
  void findsKoreanSpeechOnlyWhereItIs() throws Exception {
    Audio audio = Wav.read(TestAudio.KO_16K_MONO.path());
    Extent spoken = Extent.of(audio);

    List<Segment> segments = vad.detect(audio);

    System.out.printf("ko: spoken %s, VAD %s%n", spoken, segments);
    assertThat(segments).isNotEmpty();
    assertThat(segments.getFirst().start()).isGreaterThanOrEqualTo(spoken.start().minusMillis(150));
    assertThat(segments.getLast().end()).isLessThanOrEqualTo(spoken.end().plusMillis(300));
    Duration found = segments.stream().map(Segment::length).reduce(Duration.ZERO, Duration::plus);
    assertThat(found).isGreaterThan(spoken.length().dividedBy(2));
  }

  @Test
  void findsNoSpeechInSilence() throws Exception {
    assertThat(vad.detect(Wav.read(TestAudio.SILENCE_3S.path()))).isEmpty();
  }

  @Test
  void findsTheSameSegmentIn44kHzStereo() throws Exception {
    List<Segment> mono = vad.detect(Wav.read(TestAudio.JA_16K_MONO.path()));
    List<Segment> stereo = vad.detect(Wav.read(TestAudio.JA_44K_STEREO.path()));

    System.out.printf("ja 16 kHz mono %s, 44.1 kHz stereo %s%n", mono, stereo);
    assertThat(stereo).hasSameSizeAs(mono);
    for (int i = 0; i < mono.size(); i++) {
      // Two 32 ms windows: the stereo clip is quieter (0.75) and resampled by another resampler.
      assertThat(Duration.ofNanos(Math.abs(stereo.get(i).start().minus(mono.get(i).start()).toNanos())))
          .isLessThanOrEqualTo(Duration.ofMillis(64));
      assertThat(Duration.ofNanos(Math.abs(stereo.get(i).end().minus(mono.get(i).end()).toNanos())))
          .isLessThanOrEqualTo(Duration.ofMillis(64));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 333})
  void streamingInAnyChunkSizeGivesTheSameSegmentsAsWholeAudio(int chunk) throws Exception {
    for (TestAudio clip : List.of(TestAudio.JA_16K_MONO, TestAudio.KO_16K_MONO)) {
      Audio audio = Wav.read(clip.path());
      float[] samples = audio.toArray();
      List<Segment> streamed = new ArrayList<>();
      try (VoiceActivitySession.Stream stream = vad.stream()) {
        for (int i = 0; i < samples.length; i += chunk) {
          streamed.addAll(stream.accept(java.util.Arrays.copyOfRange(samples, i, Math.min(samples.length, i + chunk))));
        }
        streamed.addAll(stream.finish());
      }

      assertThat(streamed).as(clip.fileName()).isEqualTo(vad.detect(audio));
    }
  }

  @Test
  void streamingReportsASegmentOnceTheSilenceAfterItIsLongEnough() throws Exception {
    float[] samples = Wav.read(TestAudio.JA_16K_MONO.path()).toArray();
    try (VoiceActivitySession.Stream stream = vad.stream()) {
      List<Segment> beforeFinish = stream.accept(samples);

      assertThat(beforeFinish).hasSize(1);
      assertThat(stream.finish()).isEmpty();
    }
  }

  @Test
  void detectsConcurrentlyWithTheSameResults() throws Exception {
    Audio ja = Wav.read(TestAudio.JA_16K_MONO.path());
    List<Segment> expected = vad.detect(ja);
    List<Thread> threads = new ArrayList<>();
    List<List<Segment>> results = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 3; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          results.add(vad.detect(ja));
        } catch (Exception e) {
          results.add(List.of());
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(results).hasSize(3).allSatisfy(r -> assertThat(r).isEqualTo(expected));
  }

  @Test
  void serviceLoaderFindsTheProviderWithTheLoadedOnnxRuntimeVersion() throws Exception {
    List<EngineProvider> providers = ServiceLoader.load(EngineProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p instanceof SileroVadProvider).toList();

    assertThat(providers).hasSize(1);
    assertThat(providers.getFirst().info().id()).isEqualTo("onnxruntime");
    assertThat(providers.getFirst().info().version()).isEqualTo(OrtRuntime.environment(options.scratch()).getVersion());
  }

  @Test
  void acceptsTheBundledManifestForVadOnly() throws Exception {
    EngineProvider provider = new SileroVadProvider();
    Manifest manifest = BundledSileroVad.manifest();

    assertThat(provider.accepts(manifest, Task.VAD)).isTrue();
    assertThat(provider.accepts(manifest, Task.ASR)).isFalse();
    assertThat(provider.accepts(withEngine(manifest, "onnxruntime", ">=2"), Task.VAD)).isFalse();
    assertThat(provider.accepts(withEngine(manifest, "whisper.cpp", "*"), Task.VAD)).isFalse();
  }

  @Test
  void refusesAModelMadeForAnotherEngine() throws Exception {
    Manifest other = withEngine(model.manifest(), "whisper.cpp", ">=1.7");
    VerifiedModel wrong = new VerifiedModel(other, model.files(), model.verifiedAt());

    assertThatThrownBy(() -> new SileroVadProvider().open(wrong, Task.VAD, options))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("silero-vad@6.0.0 needs engine whisper.cpp >=1.7 for vad, but this is onnxruntime "
            + OrtRuntime.version() + " running Silero VAD; install a model made for it");
  }

  @Test
  void refusesAnOnnxFileOnnxRuntimeCannotLoad() throws Exception {
    Path garbage = dir.resolve("garbage.onnx");
    Files.writeString(garbage, "not a model");
    Map<String, Path> files = new java.util.LinkedHashMap<>(model.files());
    files.put("silero_vad_v6.onnx", garbage);
    VerifiedModel broken = new VerifiedModel(model.manifest(), files, model.verifiedAt());

    assertThatThrownBy(() -> new SileroVadProvider().open(broken, Task.VAD, options))
        .isInstanceOf(EngineCrashedException.class)
        .hasMessageStartingWith("silero-vad@6.0.0: ONNX Runtime " + OrtRuntime.version() + " cannot load garbage.onnx (")
        .hasMessageEndingWith("); reinstall the model or run `soko verify`");
  }

  @Test
  void aClosedSessionRefusesWork() throws Exception {
    VoiceActivitySession session = new SileroVadProvider().open(model, Task.VAD, options);
    session.close();
    session.close();

    assertThatThrownBy(() -> session.detect(Audio.of(new float[1024])))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the VAD session is closed");
  }

  @Test
  void loadsNativeLibrariesFromTheScratchFolderNotATempFolder() throws IOException {
    Path maps = Path.of("/proc/self/maps");
    Assumptions.assumeTrue(Files.isReadable(maps), "skipped: no /proc/self/maps to see which libraries are mapped (not Linux)");
    String library = System.mapLibraryName("onnxruntime");
    // Natives load once per JVM: the folder may belong to another test class's (deleted) scratch.
    Path natives = Path.of(System.getProperty(OrtRuntime.NATIVE_PATH_PROPERTY)).toAbsolutePath().normalize();

    List<Path> mapped;
    try (Stream<String> lines = Files.lines(maps)) {
      mapped = lines.map(l -> l.replace(" (deleted)", "")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
          .filter(f -> f.endsWith("/" + library)).distinct().map(Path::of).toList();
    }

    assertThat(mapped).containsExactly(natives.resolve(library));
    assertThat(natives.toString()).doesNotContain("onnxruntime-java");
  }

  @Test
  void probeListsTheCpuExecutionProvider() {
    Map<String, String> probe = new SileroVadProvider().probe();

    assertThat(probe).containsEntry("version", OrtRuntime.version());
    assertThat(probe.get("executionProviders")).contains("CPU");
  }

  @Test
  void sessionsAreVoiceActivitySessions() {
    assertThat((EngineSession) vad).isInstanceOf(VoiceActivitySession.class);
    assertThat(vad.model()).isSameAs(model);
  }

  private static Manifest withEngine(Manifest m, String id, String range) {
    return new Manifest(m.name(), m.version(), m.description(), m.tasks(),
        new EngineRequirement(id, VersionRange.parse(range)), m.license(), m.files(), m.demo(), m.annotations());
  }

  /** Where the samples are not silent: the clips are padded with exact digital silence. */
  record Extent(Duration start, Duration end) {
    static Extent of(Audio audio) {
      float[] s = audio.toArray();
      int first = 0;
      while (first < s.length && Math.abs(s[first]) < 0.01f) {
        first++;
      }
      int last = s.length - 1;
      while (last > first && Math.abs(s[last]) < 0.01f) {
        last--;
      }
      return new Extent(time(first), time(last + 1));
    }

    Duration length() {
      return end.minus(start);
    }

    private static Duration time(int sample) {
      return Duration.ofNanos(sample * 1_000_000_000L / Audio.SAMPLE_RATE);
    }
  }
}
