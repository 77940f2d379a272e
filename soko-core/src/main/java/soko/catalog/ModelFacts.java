package soko.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import soko.manifest.Manifest;
import soko.manifest.Task;
import soko.manifest.TaskSpec;

/**
 * Facts about a model that its manifest carries as optional annotations, with their fixed keys and
 * formats. Catalogs are checked against these formats ({@link #problem}); absent annotations mean
 * "not known".
 *
 * <pre>
 *   "model.parameters": "756000000"                       parameter count
 *   "license.restriction": "non-commercial"               a licence that forbids commercial use
 *   "quality.asr.ja.cer.jsut-basic5000": "8.4"            quality.TASK.LANGUAGE(S).METRIC.DATASET = number
 *   "quality.translate.ja-en.bleu.flores200": "19.2"      (translation: FROM-TO)
 *   "quality.source": "…"                                 where the figures come from, shown to people
 *   "whisper.cpp.n_vocab" … "whisper.cpp.ftype"           the ggml file's shape (see WhisperShape)
 * </pre>
 *
 * <p>Quality metrics: {@code cer} and {@code wer} (per cent, lower is better); {@code bleu},
 * {@code chrf} and {@code comet} (higher is better). Stateless and thread-safe.
 */
public final class ModelFacts {
  /** The key of the parameter count: a positive decimal integer. */
  public static final String PARAMETERS = "model.parameters";
  /** The key of a restriction the licence's SPDX id does not show; see {@link #NON_COMMERCIAL}. */
  public static final String LICENSE_RESTRICTION = "license.restriction";
  /** The only {@link #LICENSE_RESTRICTION} value: the licence forbids commercial use. */
  public static final String NON_COMMERCIAL = "non-commercial";
  /** The prefix of quality figures: {@code quality.TASK.LANGUAGES.METRIC.DATASET}. */
  public static final String QUALITY_PREFIX = "quality.";
  /** The key of the text naming where the quality figures come from, shown to people. */
  public static final String QUALITY_SOURCE = "quality.source";
  /** The prefix of a whisper.cpp model's shape annotations. */
  public static final String WHISPER_PREFIX = "whisper.cpp.";
  /** The engine id of whisper.cpp models, whose shape the {@code whisper.cpp.*} annotations give. */
  public static final String WHISPER_ENGINE = "whisper.cpp";

  private static final List<String> WHISPER_NUMBERS = List.of("n_vocab", "n_audio_state", "n_audio_layer", "n_text_layer", "n_mels");
  private static final List<String> WHISPER_FTYPES = List.of("f32", "f16", "q4_0", "q4_1", "q5_0", "q5_1", "q8_0",
      "q2_k", "q3_k", "q4_k", "q5_k", "q6_k");
  private static final Pattern QUALITY_KEY = Pattern.compile(
      "quality\\.(vad|asr|speech-translate|translate)\\.([a-z]{2,3}(?:-[a-z]{2,3})?)\\.([a-z]+)\\.([a-z0-9][a-z0-9_-]{0,63})");
  /** SPDX licence ids of the non-commercial Creative Commons licences (CC-BY-NC-4.0, CC-BY-NC-SA-2.0-FR, …). */
  private static final Pattern NC_SPDX = Pattern.compile("(?i)(^|[\\s(])CC-BY-NC(-SA|-ND)?-[0-9]");

  private ModelFacts() {}

  /**
   * A quality metric and whether lower values are better. The order is the order of preference
   * when a model publishes figures in several metrics.
   */
  public enum Metric {
    /** Character error rate, per cent; lower is better. */
    CER(true),
    /** Word error rate, per cent; lower is better. */
    WER(true),
    /** COMET score; higher is better. */
    COMET(false),
    /** BLEU score; higher is better. */
    BLEU(false),
    /** chrF score; higher is better. */
    CHRF(false);

    private final boolean lowerIsBetter;

    Metric(boolean lowerIsBetter) {
      this.lowerIsBetter = lowerIsBetter;
    }

    /**
     * Which way the metric improves.
     *
     * @return true for error rates, false for scores
     */
    public boolean lowerIsBetter() {
      return lowerIsBetter;
    }

    /**
     * The metric's name in annotation keys.
     *
     * @return the lower-case name, such as {@code cer}
     */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Metric> parse(String id) {
      for (Metric m : values()) {
        if (m.id().equals(id)) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * One published quality figure. Immutable.
   *
   * @param task the task it measures
   * @param languages the spoken or source language, or {@code from-to} for translation tasks
   * @param metric the metric
   * @param dataset the test set's name as the key writes it, such as {@code flores200}
   * @param value the figure, {@code >= 0}, in the metric's unit
   */
  public record Figure(Task task, String languages, Metric metric, String dataset, double value) {}

  /**
   * A model's quality for one job: the mean of its figures in one metric. Immutable.
   *
   * @param metric the metric of the figures
   * @param value their mean, in the metric's unit
   * @param figures how many figures the mean is over, at least 1
   * @param source where they come from ({@code quality.source}), or empty
   */
  public record Quality(Metric metric, double value, int figures, String source) {
    /**
     * Negative when this is better than {@code other}. Figures in different metrics are not
     * comparable: the metric earlier in {@link Metric}'s order ranks first.
     */
    int compareQuality(Quality other) {
      int byMetric = metric.compareTo(other.metric);
      if (byMetric != 0) {
        return byMetric;
      }
      return metric.lowerIsBetter() ? Double.compare(value, other.value) : Double.compare(other.value, value);
    }
  }

  /**
   * A whisper.cpp model's shape: what its ggml header must say. Immutable.
   *
   * @param nVocab vocabulary size ({@code whisper.cpp.n_vocab})
   * @param nAudioState width of the audio encoder ({@code n_audio_state})
   * @param nAudioLayer encoder layers ({@code n_audio_layer})
   * @param nTextLayer decoder layers ({@code n_text_layer})
   * @param nMels mel bands of the input ({@code n_mels}), such as 80 or 128
   * @param ftype the weights' type, such as {@code f16} or {@code q5_0} ({@code whisper.cpp.ftype})
   */
  public record WhisperShape(int nVocab, int nAudioState, int nAudioLayer, int nTextLayer, int nMels, String ftype) {
    /**
     * Whether the large matrices are quantised.
     *
     * @return true for any {@code ftype} but {@code f32} and {@code f16}
     */
    public boolean quantised() {
      return !ftype.equals("f32") && !ftype.equals("f16");
    }
  }

  /**
   * The parameter count.
   *
   * @param m the manifest
   * @return the count, or empty when the annotation is absent or not a positive integer
   */
  public static OptionalLong parameters(Manifest m) {
    String v = m.annotations().get(PARAMETERS);
    if (v == null) {
      return OptionalLong.empty();
    }
    try {
      long n = Long.parseLong(v);
      return n > 0 ? OptionalLong.of(n) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Whether the model's licence forbids commercial use: its SPDX expression names a non-commercial
   * Creative Commons licence, or its manifest says {@code "license.restriction": "non-commercial"}.
   * Such a model is never an alias candidate and never recommended; installing it needs the user's
   * explicit acceptance of that licence.
   *
   * @param m the manifest
   * @return true when the licence forbids commercial use
   */
  public static boolean nonCommercial(Manifest m) {
    return NC_SPDX.matcher(m.license().spdx()).find() || NON_COMMERCIAL.equals(m.annotations().get(LICENSE_RESTRICTION));
  }

  /**
   * The whisper.cpp shape.
   *
   * @param m the manifest
   * @return the shape when the model runs on whisper.cpp and gives all six annotations well formed;
   *     otherwise empty
   */
  public static Optional<WhisperShape> whisperShape(Manifest m) {
    if (!m.engine().id().equals(WHISPER_ENGINE)) {
      return Optional.empty();
    }
    Map<String, String> a = m.annotations();
    int[] n = new int[WHISPER_NUMBERS.size()];
    for (int i = 0; i < n.length; i++) {
      String v = a.get(WHISPER_PREFIX + WHISPER_NUMBERS.get(i));
      if (v == null || positiveInt(v) < 0) {
        return Optional.empty();
      }
      n[i] = positiveInt(v);
    }
    String ftype = a.get(WHISPER_PREFIX + "ftype");
    if (ftype == null || !WHISPER_FTYPES.contains(ftype)) {
      return Optional.empty();
    }
    return Optional.of(new WhisperShape(n[0], n[1], n[2], n[3], n[4], ftype));
  }

  /**
   * Every quality figure the manifest gives.
   *
   * @param m the manifest
   * @return the well-formed figures, in key order; a malformed one is skipped (catalogs refuse
   *     them, see {@link #problem})
   */
  public static List<Figure> figures(Manifest m) {
    List<Figure> out = new ArrayList<>();
    m.annotations().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      var k = QUALITY_KEY.matcher(e.getKey());
      if (k.matches()) {
        Optional<Metric> metric = Metric.parse(k.group(3));
        double value = number(e.getValue());
        if (metric.isPresent() && value >= 0) {
          out.add(new Figure(Task.parse(k.group(1)), k.group(2), metric.get(), k.group(4), value));
        }
      }
    });
    return out;
  }

  /**
   * The model's quality for {@code need} (an alias's task, with one language): the mean of its
   * figures for that task and language in the first metric it has, in the order CER, WER, COMET,
   * BLEU, chrF; empty when it publishes none.
   *
   * @param m the manifest
   * @param need the job, with one source language
   * @return the quality, or empty when the model publishes no figure for that job
   */
  public static Optional<Quality> quality(Manifest m, TaskSpec need) {
    String languages = languageKey(need);
    List<Figure> mine = figures(m).stream()
        .filter(f -> f.task() == need.task() && f.languages().equals(languages))
        .toList();
    return mine.stream().map(Figure::metric).min(Comparator.naturalOrder()).map(metric -> {
      List<Figure> same = mine.stream().filter(f -> f.metric() == metric).toList();
      double mean = same.stream().mapToDouble(Figure::value).average().orElseThrow();
      return new Quality(metric, mean, same.size(), m.annotations().getOrDefault(QUALITY_SOURCE, ""));
    });
  }

  private static String languageKey(TaskSpec need) {
    String from = need.languages().isEmpty() ? "" : need.languages().getFirst().code();
    return need.target().map(t -> from + "-" + t.code()).orElse(from);
  }

  /**
   * The first well-known annotation with a malformed value, as "annotation KEY is "VALUE", not …",
   * or null: catalogs refuse such models so that consumers can trust the formats above.
   */
  static @Nullable String problem(Manifest m) {
    for (Map.Entry<String, String> e : m.annotations().entrySet()) {
      String key = e.getKey();
      String v = e.getValue();
      @Nullable String why = null;
      if (key.equals(PARAMETERS)) {
        why = parameters(m).isPresent() ? null : "a positive whole number of parameters";
      } else if (key.equals(LICENSE_RESTRICTION)) {
        why = v.equals(NON_COMMERCIAL) ? null : "\"" + NON_COMMERCIAL + "\", the only restriction Soko knows";
      } else if (key.startsWith(WHISPER_PREFIX)) {
        String field = key.substring(WHISPER_PREFIX.length());
        if (WHISPER_NUMBERS.contains(field)) {
          why = positiveInt(v) > 0 ? null : "a positive whole number";
        } else if (field.equals("ftype")) {
          why = WHISPER_FTYPES.contains(v) ? null : "one of " + String.join(", ", WHISPER_FTYPES);
        } else {
          why = "a known whisper.cpp annotation (" + String.join(", ", WHISPER_NUMBERS) + ", ftype)";
        }
      } else if (key.startsWith(QUALITY_PREFIX) && !key.equals(QUALITY_SOURCE)) {
        var k = QUALITY_KEY.matcher(key);
        if (!k.matches() || Metric.parse(k.group(3)).isEmpty()) {
          return "annotation " + key + " is not a quality figure; spell it quality.TASK.LANGUAGE.METRIC.DATASET with"
              + " METRIC one of cer, wer, comet, bleu, chrf, such as quality.asr.ja.cer.jsut-basic5000";
        }
        why = number(v) >= 0 ? null : "a non-negative number";
      }
      if (why != null) {
        return "annotation " + key + " is \"" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "\", not " + why;
      }
    }
    return null;
  }

  private static int positiveInt(String v) {
    try {
      int n = Integer.parseInt(v);
      return n > 0 ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static double number(String v) {
    try {
      double d = Double.parseDouble(v);
      return Double.isFinite(d) && d >= 0 && v.matches("[0-9]+(\\.[0-9]+)?") ? d : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
