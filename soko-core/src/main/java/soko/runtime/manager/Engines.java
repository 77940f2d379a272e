package soko.runtime.manager;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import soko.runtime.SpeechSession;
import soko.runtime.TranslationSession;
import soko.runtime.VoiceActivitySession;
import soko.runtime.cloud.CloudProvider;
import soko.catalog.CatalogException;
import soko.catalog.Catalogs;
import soko.store.Store;
import soko.store.StoreException;
import soko.store.VerifyMode;

/**
 * The runtime manager: runs installed models, never downloads.
 *
 * <p>For each job ({@link Need}) it picks an installed model (the built-in alias's candidates
 * first, see {@link #resolve}), verifies it through the store ({@link Store#verified}: a stat for an
 * unchanged file, a re-hash for a changed one, {@link soko.store.ModelIntegrityException} for a
 * corrupt one, before any engine sees it), picks the engine provider that accepts it, and loads it
 * once per process. Callers share the loaded session through {@link Lease}s; an idle session is
 * unloaded after {@link RuntimeSettings#idleUnload()}, and the memory budget unloads the least
 * recently used idle sessions first.
 *
 * <p>A remote engine ({@link CloudProvider}) is used only for the tasks the user listed in the
 * settings, and never while Soko is offline.
 *
 * <p>It never downloads, never reads the environment and knows nothing of {@code soko.app}: what it
 * needs (the store, the catalogs, whether Soko is offline, the settings, the engine providers) is
 * handed to its constructor. {@code Soko.runtime()} makes the one an app uses.
 *
 * <p>Thread-safe. Close it to unload everything (the CLI does at exit).
 */
// About 430 lines, over the 400 a class should have: it is the runtime manager's whole public API
// (resolve, leases, the jobs, loaded models, unloading), and most of its lines are those methods'
// contracts. The work is in ModelResolver (candidates), SessionPool (loading and unloading), Holds,
// CloudRoute and Jobs (detect speech, transcribe, translate).
public final class Engines implements AutoCloseable {
  private final Store store;
  private final boolean offline;
  private final RuntimeSettings settings;
  private final Machine machine;
  private final List<EngineProvider> providers;
  private final List<CloudProvider> clouds;
  private final ModelResolver resolver;
  private final SessionPool pool;
  private final @Nullable ScheduledExecutorService sweeper;
  /** The store holds of the loaded models: the storage budget never evicts them while they stay loaded. */
  private final Holds holds;
  /** Speech detection and transcription over the leased sessions. */
  private final Jobs jobs;

  /** Where the manager reads the catalogs' aliases from (their candidates' order); read on every resolve. */
  @FunctionalInterface
  public interface CatalogSource {
    /**
     * The catalogs as they are now.
     *
     * @return the catalogs
     * @throws CatalogException when they cannot be read
     */
    Catalogs catalogs() throws CatalogException;
  }

  /**
   * A runtime manager over {@code store}. Most apps call {@code Soko.runtime()} instead.
   *
   * @param store the store the models are read (and verified) from
   * @param catalogs the catalogs whose aliases order the installed candidates
   * @param offline never send a job to a remote engine
   * @param settings threads, idle unloading, memory budget, isolation and the remote engine
   * @param machine this computer, for the engines' CPU-feature and memory needs
   * @param providers the local engines, in the order they are tried
   * @param clouds the remote engines found; used only for the tasks {@code settings} lists
   * @param clock the time source of idle unloading
   * @param background unload idle sessions from a daemon thread; without it only {@link #unloadIdle()} does
   */
  public Engines(Store store, CatalogSource catalogs, boolean offline, RuntimeSettings settings, Machine machine,
      List<EngineProvider> providers, List<CloudProvider> clouds, Clock clock, boolean background) {
    this.store = store;
    this.offline = offline;
    this.settings = settings;
    this.machine = machine;
    this.providers = List.copyOf(providers);
    this.clouds = List.copyOf(clouds);
    this.resolver = new ModelResolver(store, catalogs);
    this.holds = new Holds(store);
    this.pool = new SessionPool(clock, settings.idleUnload(), settings.memoryBudgetBytes());
    this.jobs = new Jobs(this, resolver, settings, offline, this.clouds);
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

  /**
   * The settings this manager was made with.
   *
   * @return the settings
   */
  public RuntimeSettings settings() {
    return settings;
  }

  /**
   * Cloud providers found on the class path. Listed only; used only when configured.
   *
   * @return the providers; empty when none is present
   */
  public List<CloudProvider> cloudProviders() {
    return clouds;
  }

  // ---------------------------------------------------------------- sessions

  /**
   * The installed model that {@link #open} would load for this job, without verifying or loading it.
   *
   * @param need the job
   * @return the manifest of the first installed candidate
   * @throws ModelUnavailableException when none is installed, saying which alias to pull
   * @throws StoreException when the store cannot be read
   */
  public Manifest resolve(Need need) throws ModelUnavailableException, StoreException {
    return resolver.candidates(need).getFirst();
  }

  /**
   * A lease on the loaded session for this job, loading the model if no caller has it loaded.
   *
   * @param need the job
   * @return a lease to close when done
   * @throws EngineException when loading fails or the engine crashes while loading
   * @throws StoreException when the store cannot be read, or as below
   * @throws ModelUnavailableException when no model for the job is installed, or no engine here runs it
   * @throws soko.store.ModelIntegrityException when the model's files do not match its manifest;
   *     no engine is called
   */
  public Lease<? extends EngineSession> open(Need need) throws EngineException, StoreException {
    return open(need, resolver.candidates(need));
  }

  /** {@link #open(Need)} with the candidates already resolved for this request. */
  Lease<? extends EngineSession> open(Need need, List<Manifest> candidates) throws EngineException, StoreException {
    List<String> why = new ArrayList<>();
    for (Manifest m : candidates) {
      Optional<EngineProvider> provider = providerFor(m, need.task(), why);
      if (provider.isEmpty()) {
        continue;
      }
      VerifiedModel model = store.verified(m.name(), VerifyMode.CACHED);
      if (!model.manifest().equals(m)) {
        throw new ModelUnavailableException(m.id() + " changed while Soko was choosing it; try again");
      }
      EngineOptions options = new EngineOptions(settings.threads(), store.cacheScratch(), settings.isolate());
      holds.opening(m);
      SessionPool.Acquired a = pool.acquire(model, need.task(), provider.get(), options);
      EngineInfo info = provider.get().info();
      ModelUse use = new ModelUse(need.alias(), m.id(), info.id() + " " + info.version(), m.demo(), false,
          a.loaded().orElse(Duration.ZERO));
      return new Lease<>(a.entry(), a.session(), use);
    }
    throw new ModelUnavailableException(need.alias() + " is installed as " + candidates.getFirst().id()
        + ", but no engine in this Soko can run it (" + String.join("; ", why) + "): install a Soko build with that engine");
  }

  /**
   * A lease on the voice activity detection session ({@link Need#vad()}).
   *
   * @return a lease to close when done
   * @throws EngineException when no model for the job is installed or no engine here runs it
   *     ({@link ModelUnavailableException}), the engine crashed, or it refused the input
   * @throws StoreException when the model's files do not verify ({@link soko.store.ModelIntegrityException};
   *     no engine is called) or the store cannot be read
   */
  public Lease<VoiceActivitySession> vad() throws EngineException, StoreException {
    return typed(open(Need.vad()), VoiceActivitySession.class);
  }

  /**
   * Speech recognition in {@code spoken}, or with {@code toEnglish} speech translation into English.
   *
   * @param spoken the language spoken in the audio
   * @param toEnglish true for speech translation into English
   * @return a lease to close when done
   * @throws EngineException when no model for the job is installed or no engine here runs it
   *     ({@link ModelUnavailableException}), the engine crashed, or it refused the input
   * @throws StoreException when the model's files do not verify ({@link soko.store.ModelIntegrityException};
   *     no engine is called) or the store cannot be read
   */
  public Lease<SpeechSession> speech(Language spoken, boolean toEnglish) throws EngineException, StoreException {
    return typed(open(speechNeed(spoken, toEnglish)), SpeechSession.class);
  }

  /**
   * A lease on the text translation session for a language pair.
   *
   * @param from the source language
   * @param to the target language, different from {@code from}
   * @return a lease to close when done
   * @throws EngineException when no model for the job is installed or no engine here runs it
   *     ({@link ModelUnavailableException}), the engine crashed, or it refused the input
   * @throws StoreException when the model's files do not verify ({@link soko.store.ModelIntegrityException};
   *     no engine is called) or the store cannot be read
   * @throws IllegalArgumentException when {@code from} equals {@code to}
   */
  public Lease<TranslationSession> translation(Language from, Language to) throws EngineException, StoreException {
    return typed(open(Need.translate(from, to)), TranslationSession.class);
  }

  @SuppressWarnings("unchecked")
  static <S extends EngineSession> Lease<S> typed(Lease<? extends EngineSession> lease, Class<S> type)
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

  /**
   * Models loaded now.
   *
   * @return a snapshot; empty when none is loaded
   */
  public List<LoadedModel> loaded() {
    return pool.loaded();
  }

  /**
   * How many times a model was loaded by this manager.
   *
   * @return loads since it was made, 0 or more
   */
  public int loads() {
    return pool.loads();
  }

  /**
   * Unloads the sessions idle for at least the idle time now.
   *
   * @return how many were unloaded
   */
  public int unloadIdle() {
    int n = pool.sweepIdle();
    if (n > 0) {
      java.util.Set<String> loadedNow = new java.util.HashSet<>();
      pool.loaded().forEach(l -> loadedNow.add(l.model()));
      holds.keepOnly(loadedNow);
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
    holds.close();
  }

  // ---------------------------------------------------------------- jobs

  /**
   * Finds speech in the audio with the installed VAD model.
   *
   * @param audio the recording
   * @return the speech regions, the model used and the timings
   * @throws EngineException when no model for the job is installed or no engine here runs it
   *     ({@link ModelUnavailableException}), the engine crashed, or it refused the input
   * @throws StoreException when the model's files do not verify ({@link soko.store.ModelIntegrityException};
   *     no engine is called) or the store cannot be read
   */
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
   * @param audio the stream to read to its end
   * @return the speech regions, the model used and the timings
   * @throws EngineException when no model for the job is installed or no engine here runs it
   *     ({@link ModelUnavailableException}), the engine crashed, or it refused the input
   * @throws StoreException when the model's files do not verify ({@link soko.store.ModelIntegrityException};
   *     no engine is called) or the store cannot be read
   * @throws IOException when reading the stream fails
   */
  public SpeechRegions detectSpeech(AudioStream audio) throws EngineException, StoreException, IOException {
    return jobs.detectSpeech(audio, resolver.candidates(Need.vad()));
  }

  /**
   * Finds speech with VAD, then recognises each region (with {@code toEnglish}: translates it into
   * English) and returns text timed from the start of the recording. The recogniser is not loaded
   * when there is no speech, but it must be installed.
   *
   * @param audio the recording
   * @param spoken the language spoken in it
   * @param toEnglish true to translate the speech into English
   * @return the timed text, the speech regions, the models used and the timings
   * @throws EngineException when no model for the job is installed or no engine here runs it
   *     ({@link ModelUnavailableException}), the engine crashed, or it refused the input
   * @throws StoreException when the model's files do not verify ({@link soko.store.ModelIntegrityException};
   *     no engine is called) or the store cannot be read
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
   * once to hand each speech region (at most {@link Chunks#MAX_CHUNK}) to the recogniser, so that memory
   * does not grow with the length of the recording. Both models are found before the audio is
   * opened: a missing recogniser fails before any audio is read.
   *
   * @param source the recording, opened twice
   * @param spoken the language spoken in it
   * @param toEnglish true to translate the speech into English
   * @return the timed text, the speech regions, the models used and the timings
   * @throws EngineException when no model for the job is installed or no engine here runs it
   *     ({@link ModelUnavailableException}), the engine crashed, or it refused the input
   * @throws StoreException when the model's files do not verify ({@link soko.store.ModelIntegrityException};
   *     no engine is called) or the store cannot be read
   * @throws IOException when reading the audio fails
   */
  public Transcript transcribe(AudioSource source, Language spoken, boolean toEnglish)
      throws EngineException, StoreException, IOException {
    return jobs.transcribe(source, spoken, toEnglish);
  }

  /**
   * Translates text with the installed model for the pair: a real one when installed, else the demo
   * phrasebook; or with the remote engine when the settings route translation there and Soko is online.
   *
   * @param text the text; blank text gives empty output without running a local model
   * @param from the source language
   * @param to the target language, different from {@code from}
   * @return the translation, the model used and the timings
   * @throws EngineException when no model for the job is installed or no engine here runs it
   *     ({@link ModelUnavailableException}), the engine crashed, or it refused the input
   * @throws StoreException when the model's files do not verify ({@link soko.store.ModelIntegrityException};
   *     no engine is called) or the store cannot be read
   */
  public Translation translate(String text, Language from, Language to) throws EngineException, StoreException {
    return jobs.translate(text, from, to);
  }

  static Need speechNeed(Language spoken, boolean toEnglish) {
    return toEnglish ? Need.speechTranslate(spoken, Language.EN) : Need.asr(spoken);
  }

  /** A call on a leased session. */
  @FunctionalInterface
  interface EngineCall<T> {
    T run() throws EngineException;
  }

  /**
   * Runs a call; when the engine crashed, takes the session out of the pool so the next use loads
   * the model again through {@link Store#verified}: a file changed since the crash is caught there.
   */
  static <T> T crashGuard(Lease<?> lease, EngineCall<T> call) throws EngineException {
    try {
      return call.run();
    } catch (soko.runtime.EngineCrashedException e) {
      lease.discard();
      throw e;
    }
  }
}
