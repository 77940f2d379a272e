package soko.app;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import soko.inventory.Machine;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.manifest.Task;
import soko.model.VerifiedModel;
import soko.runtime.Audio;
import soko.runtime.AudioSource;
import soko.runtime.AudioStream;
import soko.runtime.EngineException;
import soko.runtime.EngineInfo;
import soko.runtime.EngineOptions;
import soko.runtime.EngineProvider;
import soko.runtime.EngineSession;
import soko.runtime.ModelUnavailableException;
import soko.runtime.Segment;
import soko.runtime.SpeechSession;
import soko.runtime.TranslationSession;
import soko.runtime.VoiceActivitySession;
import soko.runtime.cloud.CloudEndpoint;
import soko.runtime.cloud.CloudProvider;
import soko.store.Store;
import soko.store.StoreException;

/**
 * The runtime manager: runs installed models, never downloads.
 *
 * <p>For each job ({@link Need}) it picks an installed model (the built-in alias's candidates
 * first, see {@link #resolve}), verifies it through the store ({@link Soko#verified}: a stat for an
 * unchanged file, a re-hash for a changed one, {@link soko.store.ModelIntegrityException} for a
 * corrupt one, before any engine sees it), picks the engine provider that accepts it, and loads it
 * once per process. Callers share the loaded session through {@link Lease}s; an idle session is
 * unloaded after {@link RuntimeSettings#idleUnload()}, and the memory budget unloads the least
 * recently used idle sessions first.
 *
 * <p>A remote engine ({@link CloudProvider}) is used only for the tasks the user listed in the
 * settings, and never while Soko is offline.
 *
 * <p>Thread-safe. Close it to unload everything (the CLI does at exit).
 */
public final class Engines implements AutoCloseable {
  /** Silence kept around each speech region given to the recogniser. */
  static final Duration PAD = Duration.ofMillis(200);
  /** Speech regions closer than this are recognised together. */
  static final Duration JOIN_GAP = Duration.ofMillis(600);
  /** The recogniser's window (whisper's 30 s): longer speech is cut into pieces of this length. */
  static final Duration MAX_CHUNK = Duration.ofSeconds(30);

  private final Soko soko;
  private final RuntimeSettings settings;
  private final Machine machine;
  private final List<EngineProvider> providers;
  private final List<CloudProvider> clouds;
  private final ModelResolver resolver;
  private final SessionPool pool;
  private final @Nullable ScheduledExecutorService sweeper;
  /**
   * The store holds of the models this manager opened, by {@code name@version}: the storage budget
   * never evicts them while they stay loaded. Released when they are unloaded or this closes.
   */
  private final java.util.Map<String, Store.Hold> holds = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param background unload idle sessions from a daemon thread; without it only {@link #unloadIdle()} does
   */
  Engines(Soko soko, RuntimeSettings settings, Machine machine, List<EngineProvider> providers,
      List<CloudProvider> clouds, Clock clock, boolean background) {
    this.soko = soko;
    this.settings = settings;
    this.machine = machine;
    this.providers = List.copyOf(providers);
    this.clouds = List.copyOf(clouds);
    this.resolver = new ModelResolver(soko.store(), soko::catalogs);
    this.pool = new SessionPool(clock, settings.idleUnload(), settings.memoryBudgetBytes());
    if (background && settings.idleUnload().isPositive()) {
      ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
          Thread.ofPlatform().daemon().name("soko-idle-unload").factory());
      timer.setRemoveOnCancelPolicy(true);
      long period = Math.clamp(settings.idleUnload().toMillis() / 4, 1_000, 60_000);
      timer.scheduleWithFixedDelay(() -> unloadIdle(), period, period, TimeUnit.MILLISECONDS);
      this.sweeper = timer;
    } else {
      this.sweeper = null;
    }
  }

  /** The cloud providers on the class path; listing them never touches the network. */
  static List<CloudProvider> discoverCloudProviders() {
    List<CloudProvider> out = new ArrayList<>();
    ServiceLoader.load(CloudProvider.class, Soko.class.getClassLoader()).forEach(out::add);
    return out;
  }

  public RuntimeSettings settings() {
    return settings;
  }

  /** Cloud providers found on the class path. Listed only; used only when configured. */
  public List<CloudProvider> cloudProviders() {
    return clouds;
  }

  // ---------------------------------------------------------------- sessions

  /**
   * The installed model that {@link #open} would load for this job, without verifying or loading it.
   *
   * @throws ModelUnavailableException when none is installed, saying which alias to pull
   */
  public Manifest resolve(Need need) throws ModelUnavailableException, StoreException {
    return resolver.candidates(need).getFirst();
  }

  /**
   * A lease on the loaded session for this job, loading the model if no caller has it loaded.
   *
   * @throws ModelUnavailableException when no model for the job is installed, or no engine here runs it
   * @throws soko.store.ModelIntegrityException when the model's files do not match its manifest;
   *     no engine is called
   */
  public Lease<? extends EngineSession> open(Need need) throws EngineException, StoreException {
    List<Manifest> candidates = resolver.candidates(need);
    List<String> why = new ArrayList<>();
    for (Manifest m : candidates) {
      Optional<EngineProvider> provider = providerFor(m, need.task(), why);
      if (provider.isEmpty()) {
        continue;
      }
      VerifiedModel model = soko.verified(m.name().value());
      if (!model.manifest().equals(m)) {
        throw new ModelUnavailableException(m.id() + " changed while Soko was choosing it; try again");
      }
      EngineOptions options = new EngineOptions(settings.threads(), soko.store().cacheScratch(), settings.isolate());
      if (!holds.containsKey(m.id())) {
        opening(m);
      }
      SessionPool.Acquired a = pool.acquire(model, need.task(), provider.get(), options);
      EngineInfo info = provider.get().info();
      ModelUse use = new ModelUse(need.alias(), m.id(), info.id() + " " + info.version(), m.demo(), false,
          a.loaded().orElse(Duration.ZERO));
      return new Lease<>(a.entry(), a.session(), use);
    }
    throw new ModelUnavailableException(need.alias() + " is installed as " + candidates.getFirst().id()
        + ", but no engine in this Soko can run it (" + String.join("; ", why) + "): install a Soko build with that engine");
  }

  public Lease<VoiceActivitySession> vad() throws EngineException, StoreException {
    return typed(open(Need.vad()), VoiceActivitySession.class);
  }

  /** Speech recognition in {@code spoken}, or with {@code toEnglish} speech translation into English. */
  public Lease<SpeechSession> speech(Language spoken, boolean toEnglish) throws EngineException, StoreException {
    return typed(open(speechNeed(spoken, toEnglish)), SpeechSession.class);
  }

  public Lease<TranslationSession> translation(Language from, Language to) throws EngineException, StoreException {
    return typed(open(Need.translate(from, to)), TranslationSession.class);
  }

  @SuppressWarnings("unchecked")
  private static <S extends EngineSession> Lease<S> typed(Lease<? extends EngineSession> lease, Class<S> type)
      throws ModelUnavailableException {
    if (!type.isInstance(lease.session())) {
      lease.close();
      throw new ModelUnavailableException(lease.model().engine() + " opened " + lease.model().model() + " as "
          + lease.session().getClass().getSimpleName() + ", not a " + type.getSimpleName() + "; the engine is broken");
    }
    return (Lease<S>) lease;
  }

  private Optional<EngineProvider> providerFor(Manifest m, Task task, List<String> why) {
    for (EngineProvider p : providers) {
      if (!p.accepts(m, task)) {
        continue;
      }
      EngineInfo info = p.info();
      List<String> missing = info.needs().requiredCpuFeatures().stream()
          .filter(f -> !machine.cpuFeatures().isEmpty() && !machine.cpuFeatures().contains(f)).sorted().toList();
      if (!missing.isEmpty()) {
        why.add(info.id() + " " + info.version() + " needs CPU features " + missing);
        continue;
      }
      if (machine.memoryBytes() > 0 && info.needs().minMemoryBytes() > machine.memoryBytes()) {
        why.add(info.id() + " " + info.version() + " needs " + (info.needs().minMemoryBytes() >> 20) + " MiB of memory");
        continue;
      }
      return Optional.of(p);
    }
    if (why.isEmpty() || !why.getLast().startsWith(m.engine().id())) {
      why.add(m.id() + " needs engine " + m.engine().id() + " " + m.engine().versions() + " for " + task);
    }
    return Optional.empty();
  }

  /** Models loaded now. */
  public List<LoadedModel> loaded() {
    return pool.loaded();
  }

  /** How many times a model was loaded by this manager. */
  public int loads() {
    return pool.loads();
  }

  /** Unloads the sessions idle for at least the idle time now; returns how many. */
  public int unloadIdle() {
    int n = pool.sweepIdle();
    if (n > 0) {
      releaseUnloaded();
    }
    return n;
  }

  /** Unloads every model and stops the idle timer. Leases still open become unusable. */
  @Override
  public void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    pool.closeAll();
    holds.values().forEach(Store.Hold::close);
    holds.clear();
  }

  /**
   * An engine is about to open {@code m}: records the use (one small write per load, none per
   * inference) and holds the model so that the budget does not evict it while it is loaded. Both
   * are best-effort: a full disk must not stop a transcription.
   */
  private void opening(Manifest m) {
    try {
      soko.store().recordUse(m.name());
    } catch (StoreException e) {
      // the least-recently-used order then sees an older use; nothing else depends on it
    }
    try {
      Store.Hold h = soko.store().hold(m);
      if (holds.putIfAbsent(m.id(), h) != null) {
        h.close();
      }
    } catch (StoreException e) {
      // without a hold the budget may evict the model; its open files stay readable meanwhile
    }
  }

  /** Releases the holds of models no longer loaded. */
  private void releaseUnloaded() {
    java.util.Set<String> loadedNow = new java.util.HashSet<>();
    pool.loaded().forEach(l -> loadedNow.add(l.model()));
    holds.entrySet().removeIf(e -> {
      if (loadedNow.contains(e.getKey())) {
        return false;
      }
      e.getValue().close();
      return true;
    });
  }

  // ---------------------------------------------------------------- jobs

  /** Samples fed to VAD per call when reading a stream: 4 s, 256 KB. */
  static final int BLOCK_SAMPLES = 4 * Audio.SAMPLE_RATE;

  /** Finds speech in the audio with the installed VAD model. */
  public SpeechRegions detectSpeech(Audio audio) throws EngineException, StoreException {
    try (AudioStream stream = AudioSource.of(audio).open()) {
      return detectSpeech(stream);
    } catch (IOException e) {
      throw new IllegalStateException("reading audio in memory failed", e);
    }
  }

  /**
   * Finds speech in a stream with the installed VAD model, block by block: memory does not grow
   * with the length of the audio. The model is found (and loaded) before the first block is read.
   * Does not close the stream.
   *
   * @throws IOException when reading the stream fails
   */
  public SpeechRegions detectSpeech(AudioStream audio) throws EngineException, StoreException, IOException {
    try (Lease<VoiceActivitySession> vad = vad()) {
      long start = System.nanoTime();
      List<Segment> speech = new ArrayList<>();
      long samples = 0;
      try (VoiceActivitySession.Stream detector = vad.session().stream()) {
        float[] block = new float[BLOCK_SAMPLES];
        int n;
        while ((n = audio.read(block)) > 0) {
          float[] fed = n == block.length ? block : Arrays.copyOf(block, n);
          speech.addAll(crashGuard(vad, () -> detector.accept(fed)));
          samples += n;
        }
        speech.addAll(crashGuard(vad, detector::finish));
      }
      Duration run = Duration.ofNanos(System.nanoTime() - start);
      return new SpeechRegions(speech, samples / (double) Audio.SAMPLE_RATE, vad.model(),
          new Timings(vad.model().load(), run));
    }
  }

  /**
   * Finds speech with VAD, then recognises each region (with {@code toEnglish}: translates it into
   * English) and returns text timed from the start of the recording. The recogniser is not loaded
   * when there is no speech, but it must be installed.
   */
  public Transcript transcribe(Audio audio, Language spoken, boolean toEnglish) throws EngineException, StoreException {
    try {
      return transcribe(AudioSource.of(audio), spoken, toEnglish);
    } catch (IOException e) {
      throw new IllegalStateException("reading audio in memory failed", e);
    }
  }

  /**
   * {@link #transcribe(Audio, Language, boolean)} over audio read twice as a stream: once for VAD,
   * once to hand each speech region (at most {@link #MAX_CHUNK}) to the recogniser, so that memory
   * does not grow with the length of the recording. Both models are found before the audio is
   * opened: a missing recogniser fails before any audio is read.
   *
   * @throws IOException when reading the audio fails
   */
  public Transcript transcribe(AudioSource source, Language spoken, boolean toEnglish)
      throws EngineException, StoreException, IOException {
    Need need = speechNeed(spoken, toEnglish);
    Optional<CloudUse> cloud = cloudFor(need);
    if (cloud.isEmpty()) {
      resolver.candidates(need); // fail before VAD runs, or any audio is read, when the recogniser is missing
    }
    resolver.candidates(Need.vad());
    SpeechRegions regions;
    long length;
    try (AudioStream audio = source.open()) {
      length = audio.length();
      regions = detectSpeech(audio);
    }
    List<ModelUse> models = new ArrayList<>(List.of(regions.model()));
    Duration load = regions.timings().load();
    Duration run = regions.timings().run();
    List<Segment> text = new ArrayList<>();
    List<Chunk> chunks = chunks(regions.segments(), length);
    if (!chunks.isEmpty()) {
      try (AudioStream audio = source.open()) {
        ChunkReader reader = new ChunkReader(audio);
        if (cloud.isPresent()) {
          models.add(cloud.get().use(need));
          long start = System.nanoTime();
          for (Chunk c : chunks) {
            Audio piece = reader.read(c);
            shift(cloud.get().provider().transcribe(cloud.get().endpoint(), piece, spoken, toEnglish), c, text);
          }
          run = run.plusNanos(System.nanoTime() - start);
        } else {
          try (Lease<SpeechSession> asr = speech(spoken, toEnglish)) {
            models.add(asr.model());
            load = load.plus(asr.model().load());
            long start = System.nanoTime();
            for (Chunk c : chunks) {
              Audio piece = reader.read(c);
              shift(crashGuard(asr, () -> asr.session().transcribe(piece, spoken, toEnglish)), c, text);
            }
            run = run.plusNanos(System.nanoTime() - start);
          }
        }
      }
    }
    return new Transcript(text, spoken, toEnglish, regions.segments(), models, new Timings(load, run));
  }

  /** Translates text with the installed model for the pair: a real one when installed, else the demo phrasebook. */
  public Translation translate(String text, Language from, Language to) throws EngineException, StoreException {
    Need need = Need.translate(from, to);
    Optional<CloudUse> cloud = cloudFor(need);
    if (cloud.isPresent()) {
      long start = System.nanoTime();
      String out = cloud.get().provider().translate(cloud.get().endpoint(), text, from, to);
      return new Translation(text, out, from, to, cloud.get().use(need), new Timings(Duration.ZERO,
          Duration.ofNanos(System.nanoTime() - start)));
    }
    try (Lease<TranslationSession> mt = translation(from, to)) {
      long start = System.nanoTime();
      String out = text.isBlank() ? "" : crashGuard(mt, () -> mt.session().translate(text, from, to));
      return new Translation(text, out, from, to, mt.model(), new Timings(mt.model().load(),
          Duration.ofNanos(System.nanoTime() - start)));
    }
  }

  private static Need speechNeed(Language spoken, boolean toEnglish) {
    return toEnglish ? Need.speechTranslate(spoken, Language.EN) : Need.asr(spoken);
  }

  // ---------------------------------------------------------------- cloud

  private record CloudUse(CloudProvider provider, CloudEndpoint endpoint) {
    ModelUse use(Need need) {
      return new ModelUse(need.alias(), "cloud:" + provider.id(), provider.id() + " at " + endpoint.endpoint().getHost(),
          false, true, Duration.ZERO);
    }
  }

  /** The configured remote engine for this job, if the user configured one for its task. */
  private Optional<CloudUse> cloudFor(Need need) throws ModelUnavailableException {
    Optional<CloudEndpoint> endpoint = settings.cloud().filter(c -> c.handles(need.task()));
    if (endpoint.isEmpty()) {
      return Optional.empty();
    }
    String id = endpoint.get().providerId();
    if (soko.settings().offline()) {
      throw new ModelUnavailableException(RuntimeSettings.ENV_CLOUD_PROVIDER + " sends " + need.task() + " to " + id
          + ", but Soko is offline: go online, or remove " + need.task() + " from " + RuntimeSettings.ENV_CLOUD_TASKS);
    }
    for (CloudProvider p : clouds) {
      if (p.id().equals(id)) {
        return Optional.of(new CloudUse(p, endpoint.get()));
      }
    }
    throw new ModelUnavailableException(RuntimeSettings.ENV_CLOUD_PROVIDER + " names \"" + id + "\", but no such cloud"
        + " provider is installed (found: " + clouds.stream().map(CloudProvider::id).toList() + "): fix the setting or unset it");
  }

  // ---------------------------------------------------------------- chunking

  /** A stretch of audio [from, to), in samples, given to the recogniser. */
  record Chunk(long from, long to) {
    Chunk {
      if (from < 0 || to < from || to - from > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("chunk [" + from + ", " + to + ")");
      }
    }

    Duration offset() {
      return Duration.ofNanos(from * 1_000_000_000L / Audio.SAMPLE_RATE);
    }
  }

  /** Reads chunks in order from one stream: skips to each chunk's start and reads its samples. */
  static final class ChunkReader {
    private final AudioStream audio;
    /** Samples read from the stream and not yet used: block[blockStart, blockEnd), the first at {@code position}. */
    private final float[] block = new float[BLOCK_SAMPLES];
    private int blockStart;
    private int blockEnd;
    private long position;

    ChunkReader(AudioStream audio) {
      this.audio = audio;
    }

    /** The chunk's samples; fewer when the stream ends first. Chunks must come in order, not overlapping. */
    Audio read(Chunk c) throws IOException, EngineException {
      if (c.from() < position) {
        throw new IllegalArgumentException("chunks must come in order: " + c + " after sample " + position);
      }
      while (position < c.from() && fill()) {
        int n = (int) Math.min(blockEnd - blockStart, c.from() - position);
        blockStart += n;
        position += n;
      }
      float[] samples = new float[(int) (c.to() - c.from())];
      int filled = 0;
      while (filled < samples.length && fill()) {
        int n = Math.min(blockEnd - blockStart, samples.length - filled);
        System.arraycopy(block, blockStart, samples, filled, n);
        blockStart += n;
        filled += n;
        position += n;
      }
      return Audio.of(filled == samples.length ? samples : Arrays.copyOf(samples, filled));
    }

    /** Whether unused samples are at hand, reading the next block when none are. */
    private boolean fill() throws IOException, EngineException {
      if (blockStart < blockEnd) {
        return true;
      }
      int n = audio.read(block);
      blockStart = 0;
      blockEnd = Math.max(0, n);
      return n > 0;
    }
  }

  private static long indexAt(Duration t, long length) {
    long i = t.toNanos() * Audio.SAMPLE_RATE / 1_000_000_000L;
    return Math.max(0, Math.min(length, i));
  }

  /** Speech regions, padded, joined when close, and cut to the recogniser's window; {@code length} in samples. */
  static List<Chunk> chunks(List<Segment> speech, long length) {
    List<Chunk> joined = new ArrayList<>();
    long pad = indexAt(PAD, Long.MAX_VALUE);
    long gap = indexAt(JOIN_GAP, Long.MAX_VALUE);
    for (Segment s : speech) {
      long from = Math.max(0, indexAt(s.start(), length) - pad);
      long to = Math.min(length, indexAt(s.end(), length) + pad);
      if (to <= from) {
        continue;
      }
      if (!joined.isEmpty() && from - joined.getLast().to() < gap) {
        joined.set(joined.size() - 1, new Chunk(joined.getLast().from(), Math.max(to, joined.getLast().to())));
      } else {
        joined.add(new Chunk(from, to));
      }
    }
    long max = MAX_CHUNK.toMillis() * Audio.SAMPLE_RATE / 1000;
    List<Chunk> out = new ArrayList<>();
    for (Chunk c : joined) {
      for (long from = c.from(); from < c.to(); from += max) {
        out.add(new Chunk(from, Math.min(c.to(), from + max)));
      }
    }
    return out;
  }

  private static void shift(List<Segment> segments, Chunk chunk, List<Segment> into) {
    for (Segment s : segments) {
      if (!s.text().isBlank()) {
        into.add(new Segment(s.start().plus(chunk.offset()), s.end().plus(chunk.offset()), s.text().strip()));
      }
    }
  }

  /** A call on a leased session. */
  @FunctionalInterface
  private interface EngineCall<T> {
    T run() throws EngineException;
  }

  /**
   * Runs a call; when the engine crashed, takes the session out of the pool so the next use loads
   * the model again through {@code Soko.verified}: a file changed since the crash is caught there.
   */
  private static <T> T crashGuard(Lease<?> lease, EngineCall<T> call) throws EngineException {
    try {
      return call.run();
    } catch (soko.runtime.EngineCrashedException e) {
      lease.discard();
      throw e;
    }
  }
}
