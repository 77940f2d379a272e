package soko.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.manifest.ModelName;
import soko.manifest.Task;
import soko.manifest.TaskSpec;

/**
 * Picks the model for a job on this computer: the best-quality candidate whose estimated memory
 * fits the budget and whose estimated real-time factor stays under the limit, with a one-line
 * reason such as "kotoba-whisper-v2.0-q5_0: best Japanese accuracy that fits 32 GiB and 8 cores;
 * about 0.98× real time". Pure: no I/O, no clock, no environment.
 *
 * <h2>The rule</h2>
 *
 * <ol>
 *   <li>Candidates: the models given (an alias's candidates that the catalogs list) that do the job,
 *       except demo models and models whose licence forbids commercial use ({@link
 *       ModelFacts#nonCommercial}); those are installed only by name.
 *   <li>A candidate fits when {@link #memoryNeed} ≤ the memory budget and its {@link
 *       #realTimeFactor} (processing time ÷ audio time; none for text models) ≤ the limit. The
 *       defaults ({@link Limits#forHardware}) are half the physical memory, as for {@code
 *       SOKO_MEMORY_BUDGET_MB}, and 1.0: keeping pace with the audio.
 *   <li>Among fitting candidates, those with published quality figures for the job ({@link
 *       ModelFacts#quality}: the mean of one metric, CER before BLEU) come first, best first; then
 *       those without figures, by parameter count (more is assumed better only among models nobody
 *       has measured). Ties go to the smaller memory need, then the name. A lone fitting candidate
 *       is said to be "the only" one.
 *   <li>When none fits, the fastest candidate that fits the memory budget, saying that nothing keeps
 *       pace; when nothing fits the budget, no pick, naming the smallest need.
 * </ol>
 *
 * <h2>The numbers</h2>
 *
 * <p>Memory of a whisper.cpp model: its file size, plus whisper.cpp's working memory for its width
 * (the difference between the "Mem" and "Disk" columns of whisper.cpp's README: 194 MB at width 384
 * (tiny), 239 MB at 512 (base), 363 MB at 768 (small), 490 MB at 1024 (medium), 786 MB at 1280 (the
 * large family; also used for the 2- and 4-layer decoders of Kotoba-Whisper and large-v3-turbo,
 * which need less)), plus {@value #CHILD_JVM_BYTES} bytes for the child JVM that hosts it. Other
 * models: 1.25 × their files plus {@value #RUNTIME_BYTES} bytes for the runtime (not measured).
 *
 * <p>Speed of a whisper.cpp model: the arithmetic of one second of audio (its encoder over a
 * 30-second window of 1500 frames and the cross-attention keys, divided by 30, plus {@value
 * #TOKENS_PER_SECOND} decoded tokens, each through every decoder layer and the vocabulary
 * projection), computed from the {@code whisper.cpp.*} annotations, divided by this computer's
 * throughput. The throughput is calibrated on one published measurement: whisper.cpp 1.9.4
 * (CPU build, greedy decoding) transcribed 74.56 s of audio with ggml-small.bin on 4 threads of an
 * AVX2 Intel Alder Lake CPU in 20.62 s and 17.92 s, a real-time factor of {@value
 * #REFERENCE_SMALL_RTF} (cialightiluminacao/cialight-gravador, docs/research/2026-10-03-whisper-spike.md).
 * The same model predicts 0.068 for ggml-base.bin, where that run measured 0.080 to 0.085, and
 * whisper.cpp's published encoder benchmarks (issue #89) show large models up to a third slower
 * than this arithmetic predicts: treat the figure as "about". Threads: up to 8 (whisper.cpp gained
 * nothing from more in that run), scaling as (threads/4)^0.8 below 4 and (threads/4)^0.5 above it,
 * the exponent that run measured from 4 to 8 threads (0.48 for small, 0.54 for base). A CPU without
 * AVX2, AVX-512 or NEON gets a third of that throughput (an assumption: ggml then falls back to
 * narrower kernels). AVX-512 gets no extra credit (no published whisper.cpp figure to base it on),
 * nor do quantised weights.
 *
 * <p>Quality figures are the catalog's {@code quality.*} annotations with their {@code
 * quality.source}; the built-in catalog's come from published evaluations of the full-precision
 * models (the quantised files were not measured).
 */
public final class Recommendation {
  /** The default limit: processing keeps pace with the audio. */
  public static final double REAL_TIME = 1.0;
  /** Memory for the child JVM that hosts whisper.cpp (its heap, code and the native library). */
  static final long CHILD_JVM_BYTES = 128L << 20;
  /** Memory assumed for an in-process runtime such as ONNX Runtime, beyond 1.25 × the model files. */
  static final long RUNTIME_BYTES = 256L << 20;
  /** Tokens decoded per second of speech (Japanese and Korean run to about 5 to 8). */
  static final int TOKENS_PER_SECOND = 6;
  /** whisper.cpp's threads stop helping beyond this. */
  static final int MAX_THREADS = 8;
  /** The measured real-time factor of ggml-small.bin on 4 AVX2 threads (see the class comment). */
  static final double REFERENCE_SMALL_RTF = 0.2585;
  private static final int REFERENCE_THREADS = 4;
  private static final ModelFacts.WhisperShape REFERENCE_SMALL = new ModelFacts.WhisperShape(51_865, 768, 12, 12, 80, "f16");
  /** Whisper's audio context: 1500 encoder frames per 30-second window. */
  private static final int AUDIO_CTX = 1_500;
  private static final double WINDOW_SECONDS = 30;
  /** whisper.cpp's working memory by model width, from its README's memory table ("Mem" minus "Disk"). */
  private static final Map<Integer, Long> WHISPER_WORKING_SET = Map.of(
      384, 194_000_000L, 512, 239_000_000L, 768, 363_000_000L, 1_024, 490_000_000L, 1_280, 786_000_000L);

  private Recommendation() {}

  /**
   * What a pick may use. Immutable.
   *
   * @param memoryBudgetBytes the most memory the model may need, in bytes, {@code >= 0}
   * @param maxRealTimeFactor the slowest acceptable processing, as processing time ÷ audio time;
   *     positive and finite
   */
  public record Limits(long memoryBudgetBytes, double maxRealTimeFactor) {
    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException if the budget is negative or the factor is not positive and
     *     finite
     */
    public Limits {
      if (memoryBudgetBytes < 0) {
        throw new IllegalArgumentException("memoryBudgetBytes < 0");
      }
      if (!(maxRealTimeFactor > 0) || Double.isInfinite(maxRealTimeFactor)) {
        throw new IllegalArgumentException("maxRealTimeFactor must be positive and finite");
      }
    }

    /**
     * Soko's default limits for a computer.
     *
     * @param hw the computer
     * @return half the physical memory as the budget, and {@link #REAL_TIME}
     */
    public static Limits forHardware(Hardware hw) {
      return new Limits(hw.memoryBytes() / 2, REAL_TIME);
    }
  }

  /**
   * One candidate, estimated for this computer. Immutable.
   *
   * @param model the candidate
   * @param memoryBytes the memory it needs while it runs, in bytes ({@link #memoryNeed})
   * @param realTimeFactor processing time ÷ audio time; empty for models without a speed estimate
   * @param quality published quality for the job, if any
   */
  public record Estimate(Manifest model, long memoryBytes, OptionalDouble realTimeFactor,
      Optional<ModelFacts.Quality> quality) {
    boolean fitsMemory(Limits limits) {
      return memoryBytes <= limits.memoryBudgetBytes();
    }

    /**
     * Whether this candidate fits {@code limits}.
     *
     * @param limits the limits
     * @return true when its memory is within the budget and its speed (if estimated) within the
     *     limit
     */
    public boolean fits(Limits limits) {
      return fitsMemory(limits) && (realTimeFactor.isEmpty() || realTimeFactor.getAsDouble() <= limits.maxRealTimeFactor());
    }
  }

  /**
   * The outcome. Immutable (the list is copied).
   *
   * @param model the model to install, or empty when none fits
   * @param reason one line for people, starting with the model's name when there is one
   * @param estimates every candidate considered, in the order given
   */
  public record Pick(Optional<Manifest> model, String reason, List<Estimate> estimates) {
    /** Copies the list. */
    public Pick {
      estimates = List.copyOf(estimates);
    }
  }

  /**
   * Picks among {@code alias}'s candidates that the merged catalogs list (their highest versions).
   *
   * @param alias the alias
   * @param catalogs the merged catalogs
   * @param hw the computer
   * @param limits the memory budget and speed limit
   * @return the pick, with its reason
   */
  public static Pick pick(Alias alias, Catalogs catalogs, Hardware hw, Limits limits) {
    List<Manifest> listed = new ArrayList<>();
    for (ModelName n : alias.candidates()) {
      catalogs.model(n).ifPresent(listed::add);
    }
    return pick(alias.task(), listed, hw, limits);
  }

  /**
   * Picks for {@code need} (one job with one language, as an alias has) among {@code candidates}.
   *
   * @param need the job
   * @param candidates the models to choose from; those that cannot do the job are skipped
   * @param hw the computer
   * @param limits the memory budget and speed limit
   * @return the pick, with its reason
   */
  public static Pick pick(TaskSpec need, List<Manifest> candidates, Hardware hw, Limits limits) {
    Map<ModelName, Manifest> eligible = new LinkedHashMap<>();
    boolean excluded = false;
    for (Manifest m : candidates) {
      if (!does(m, need)) {
        continue;
      }
      if (m.demo() || ModelFacts.nonCommercial(m)) {
        excluded = true;
        continue;
      }
      eligible.putIfAbsent(m.name(), m);
    }
    String subject = subject(need);
    if (eligible.isEmpty()) {
      return new Pick(Optional.empty(), excluded
          ? "only demo or non-commercial models can do " + need + "; Soko installs those only when named"
          : "no candidate is a " + subject + " model", List.of());
    }
    List<Estimate> estimates = eligible.values().stream().map(m -> estimate(m, need, hw)).toList();
    String within = format(limits.memoryBudgetBytes()) + " and " + hw.cores() + (hw.cores() == 1 ? " core" : " cores");
    Comparator<Estimate> best = Comparator
        .comparing((Estimate e) -> e.quality().isPresent() ? 0 : 1)
        .thenComparing((a, b) -> a.quality().isPresent() && b.quality().isPresent()
            ? a.quality().get().compareQuality(b.quality().get()) : 0)
        .thenComparing(e -> -ModelFacts.parameters(e.model()).orElse(0))
        .thenComparingLong(Estimate::memoryBytes)
        .thenComparing(e -> e.model().name().value());
    Optional<Estimate> fitting = estimates.stream().filter(e -> e.fits(limits)).min(best);
    if (fitting.isPresent()) {
      Estimate e = fitting.get();
      String what = estimates.size() == 1
          ? "the only " + subject + " model that can be recommended, and it fits " + within
          : e.quality().isPresent()
          ? "best " + qualityOf(need) + " that fits " + within
          : "the largest " + subject + " model that fits " + within + " (no published figures to compare)";
      return new Pick(Optional.of(e.model()), e.model().name() + ": " + what + speed(e), estimates);
    }
    Optional<Estimate> fastest = estimates.stream().filter(e -> e.fitsMemory(limits))
        .min(Comparator.comparingDouble((Estimate e) -> e.realTimeFactor().orElse(0)).thenComparing(best));
    if (fastest.isPresent()) {
      Estimate e = fastest.get();
      String pace = limits.maxRealTimeFactor() == REAL_TIME ? "keeps pace with the audio"
          : "runs within " + rtf(limits.maxRealTimeFactor()) + "× real time";
      return new Pick(Optional.of(e.model()), e.model().name() + ": no " + subject + " model " + pace + " within "
          + within + "; this is the fastest" + speed(e), estimates);
    }
    Estimate smallest = estimates.stream().min(Comparator.comparingLong(Estimate::memoryBytes)).orElseThrow();
    return new Pick(Optional.empty(), "no " + subject + " model fits " + format(limits.memoryBudgetBytes())
        + " of memory: the smallest, " + smallest.model().name() + ", needs about " + format(smallest.memoryBytes()),
        estimates);
  }

  /**
   * Estimates one model for {@code need} on this computer.
   *
   * @param m the model
   * @param need the job, for the quality figure
   * @param hw the computer
   * @return the estimate
   */
  public static Estimate estimate(Manifest m, TaskSpec need, Hardware hw) {
    return new Estimate(m, memoryNeed(m), realTimeFactor(m, hw), ModelFacts.quality(m, need));
  }

  /**
   * The memory a model needs while it runs (see the class comment).
   *
   * @param m the model
   * @return the estimate in bytes
   */
  public static long memoryNeed(Manifest m) {
    Optional<ModelFacts.WhisperShape> shape = ModelFacts.whisperShape(m);
    if (shape.isPresent()) {
      return m.totalSize() + workingSet(shape.get().nAudioState()) + CHILD_JVM_BYTES;
    }
    return (long) (m.totalSize() * 1.25) + RUNTIME_BYTES;
  }

  /** whisper.cpp's working memory: the README figure for this width or the next larger; beyond, scaled by width². */
  private static long workingSet(int width) {
    return WHISPER_WORKING_SET.entrySet().stream().filter(e -> e.getKey() >= width).min(Map.Entry.comparingByKey())
        .map(Map.Entry::getValue)
        .orElseGet(() -> (long) (WHISPER_WORKING_SET.get(1_280) * Math.pow(width / 1_280.0, 2)));
  }

  /**
   * The model's estimated speed on this computer.
   *
   * @param m the model
   * @param hw the computer
   * @return processing time ÷ audio time; empty for models that are not whisper.cpp models with a
   *     shape
   */
  public static OptionalDouble realTimeFactor(Manifest m, Hardware hw) {
    return ModelFacts.whisperShape(m)
        .map(s -> OptionalDouble.of(gigaflopsPerAudioSecond(s) / gigaflops(hw)))
        .orElse(OptionalDouble.empty());
  }

  /** The arithmetic (in 10^9 floating-point operations) whisper does per second of audio. */
  static double gigaflopsPerAudioSecond(ModelFacts.WhisperShape s) {
    double d = s.nAudioState();
    double c = AUDIO_CTX;
    // Per encoder layer: Q, K, V, output and the 4× MLP (12 d² multiply-adds per frame), and attention over 1500 frames.
    double encoder = s.nAudioLayer() * (24 * c * d * d + 4 * c * c * d)
        + 2 * 3 * s.nMels() * d * 2 * c + 2 * 3 * d * d * c; // the two convolutions, over 3000 and 1500 frames
    double crossKeys = s.nTextLayer() * 4 * c * d * d; // each decoder layer's cross-attention K and V, once per window
    double perToken = s.nTextLayer() * 28 * d * d + 2 * d * s.nVocab(); // self- and cross-attention, MLP; logits
    return ((encoder + crossKeys) / WINDOW_SECONDS + TOKENS_PER_SECOND * perToken) / 1e9;
  }

  /** This computer's estimated whisper.cpp throughput in 10^9 operations per second. */
  static double gigaflops(Hardware hw) {
    double reference = gigaflopsPerAudioSecond(REFERENCE_SMALL) / REFERENCE_SMALL_RTF;
    double threads = Math.min(hw.cores(), MAX_THREADS);
    double ratio = threads / REFERENCE_THREADS;
    double scaled = reference * Math.pow(ratio, ratio <= 1 ? 0.8 : 0.5);
    return hw.vectorUnits() ? scaled : scaled / 3;
  }

  private static boolean does(Manifest m, TaskSpec need) {
    Optional<Language> language = need.languages().stream().findFirst();
    return m.tasks().stream().anyMatch(t -> t.covers(need.task(), language, need.target()));
  }

  private static String subject(TaskSpec need) {
    return switch (need.task()) {
      case VAD -> "voice activity detection";
      case ASR -> language(need) + " speech recognition";
      case SPEECH_TRANSLATE -> pair(need) + " speech translation";
      case TRANSLATE -> pair(need) + " translation";
    };
  }

  private static String qualityOf(TaskSpec need) {
    return need.task() == Task.ASR ? language(need) + " accuracy" : subject(need) + " quality";
  }

  private static String language(TaskSpec need) {
    return need.languages().stream().findFirst().map(Recommendation::name).orElse("any-language");
  }

  private static String pair(TaskSpec need) {
    return language(need) + "→" + need.target().map(Recommendation::name).orElse("?");
  }

  private static String name(Language l) {
    return switch (l.code()) {
      case "ja" -> "Japanese";
      case "ko" -> "Korean";
      case "en" -> "English";
      default -> l.code();
    };
  }

  private static String speed(Estimate e) {
    return e.realTimeFactor().isPresent() ? "; about " + rtf(e.realTimeFactor().getAsDouble()) + "× real time" : "";
  }

  /** Two significant digits: 0.45, 0.98, 1.5, 2.4. */
  static String rtf(double v) {
    return new java.math.BigDecimal(v).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
  }

  /** 512 MiB, 1.4 GiB, 12 GiB. */
  static String format(long bytes) {
    if (bytes < 1L << 30) {
      return Math.max(1, Math.round(bytes / (double) (1L << 20))) + " MiB";
    }
    String gib = String.format(Locale.ROOT, "%.1f", bytes / (double) (1L << 30));
    return (gib.endsWith(".0") ? gib.substring(0, gib.length() - 2) : gib) + " GiB";
  }
}
