package soko.runtime.manager;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.runtime.Audio;
import soko.runtime.AudioSource;
import soko.runtime.AudioStream;
import soko.runtime.EngineException;
import soko.runtime.Segment;
import soko.runtime.SpeechSession;
import soko.runtime.TranslationSession;
import soko.runtime.VoiceActivitySession;
import soko.runtime.cloud.CloudProvider;
import soko.store.StoreException;

/**
 * The jobs of {@link Engines} on its leased sessions: speech detection over a stream, block by
 * block; transcription region by region; translation; each locally or on the remote engine the
 * settings route the task to. Memory does not grow with the length of a recording. The contracts
 * are on {@link Engines#detectSpeech(AudioStream)}, {@link Engines#transcribe(AudioSource,
 * Language, boolean)} and {@link Engines#translate}. Thread-safe, like {@link Engines}.
 */
final class Jobs {
  /** Samples fed to VAD per call when reading a stream: 4 s, 256 KB. */
  static final int BLOCK_SAMPLES = 4 * Audio.SAMPLE_RATE;

  private final Engines engines;
  private final ModelResolver resolver;
  private final RuntimeSettings settings;
  private final boolean offline;
  private final List<CloudProvider> clouds;

  Jobs(Engines engines, ModelResolver resolver, RuntimeSettings settings, boolean offline,
      List<CloudProvider> clouds) {
    this.engines = engines;
    this.resolver = resolver;
    this.settings = settings;
    this.offline = offline;
    this.clouds = clouds;
  }

  /** Speech detection over {@code audio} with the first of {@code vadCandidates} an engine here runs. */
  SpeechRegions detectSpeech(AudioStream audio, List<Manifest> vadCandidates)
      throws EngineException, StoreException, IOException {
    try (Lease<VoiceActivitySession> vad = Engines.typed(engines.open(Need.vad(), vadCandidates), VoiceActivitySession.class)) {
      long start = System.nanoTime();
      List<Segment> speech = new ArrayList<>();
      long samples = 0;
      try (VoiceActivitySession.Stream detector = vad.session().stream()) {
        float[] block = new float[BLOCK_SAMPLES];
        int n;
        while ((n = audio.read(block)) > 0) {
          float[] fed = n == block.length ? block : Arrays.copyOf(block, n);
          speech.addAll(Engines.crashGuard(vad, () -> detector.accept(fed)));
          samples += n;
        }
        speech.addAll(Engines.crashGuard(vad, detector::finish));
      }
      Duration run = Duration.ofNanos(System.nanoTime() - start);
      return new SpeechRegions(speech, samples / (double) Audio.SAMPLE_RATE, vad.model(),
          new Timings(vad.model().load(), run));
    }
  }

  /** Transcription: both jobs' candidates resolved once, before any audio is read. */
  Transcript transcribe(AudioSource source, Language spoken, boolean toEnglish)
      throws EngineException, StoreException, IOException {
    Need need = Engines.speechNeed(spoken, toEnglish);
    Optional<CloudRoute.CloudUse> cloud = CloudRoute.cloudFor(need, settings, offline, clouds);
    // Each job's candidates are resolved once, here: a missing recogniser fails before VAD runs or
    // any audio is read.
    List<Manifest> recognisers = cloud.isEmpty() ? resolver.candidates(need) : List.of();
    List<Manifest> vads = resolver.candidates(Need.vad());
    SpeechRegions regions;
    long length;
    try (AudioStream audio = source.open()) {
      length = audio.length();
      regions = detectSpeech(audio, vads);
    }
    List<ModelUse> models = new ArrayList<>(List.of(regions.model()));
    Duration load = regions.timings().load();
    Duration run = regions.timings().run();
    List<Segment> text = new ArrayList<>();
    List<Chunks.Chunk> chunks = Chunks.of(regions.segments(), length);
    if (!chunks.isEmpty()) {
      try (AudioStream audio = source.open()) {
        Chunks.Reader reader = new Chunks.Reader(audio);
        if (cloud.isPresent()) {
          models.add(cloud.get().use(need));
          long start = System.nanoTime();
          for (Chunks.Chunk c : chunks) {
            Audio piece = reader.read(c);
            Chunks.shift(cloud.get().provider().transcribe(cloud.get().endpoint(), piece, spoken, toEnglish), c, text);
          }
          run = run.plusNanos(System.nanoTime() - start);
        } else {
          try (Lease<SpeechSession> asr = Engines.typed(engines.open(need, recognisers), SpeechSession.class)) {
            models.add(asr.model());
            load = load.plus(asr.model().load());
            long start = System.nanoTime();
            for (Chunks.Chunk c : chunks) {
              Audio piece = reader.read(c);
              Chunks.shift(Engines.crashGuard(asr, () -> asr.session().transcribe(piece, spoken, toEnglish)), c, text);
            }
            run = run.plusNanos(System.nanoTime() - start);
          }
        }
      }
    }
    return new Transcript(text, spoken, toEnglish, regions.segments(), models, new Timings(load, run));
  }

  /** Translation, on the remote engine when the settings route it there and Soko is online. */
  Translation translate(String text, Language from, Language to) throws EngineException, StoreException {
    Need need = Need.translate(from, to);
    Optional<CloudRoute.CloudUse> cloud = CloudRoute.cloudFor(need, settings, offline, clouds);
    if (cloud.isPresent()) {
      long start = System.nanoTime();
      String out = cloud.get().provider().translate(cloud.get().endpoint(), text, from, to);
      return new Translation(text, out, from, to, cloud.get().use(need), new Timings(Duration.ZERO,
          Duration.ofNanos(System.nanoTime() - start)));
    }
    try (Lease<TranslationSession> mt = engines.translation(from, to)) {
      long start = System.nanoTime();
      String out = text.isBlank() ? "" : Engines.crashGuard(mt, () -> mt.session().translate(text, from, to));
      return new Translation(text, out, from, to, mt.model(), new Timings(mt.model().load(),
          Duration.ofNanos(System.nanoTime() - start)));
    }
  }
}
