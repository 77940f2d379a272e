package soko.engine.whisper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import soko.manifest.Manifest;

/**
 * What a model's manifest says its ggml file is, from optional annotations (each one that is
 * present is checked against the file's header before any native call):
 *
 * <pre>
 *   "annotations": {
 *     "whisper.cpp.n_vocab": "51866",      "whisper.cpp.n_audio_state": "1280",
 *     "whisper.cpp.n_audio_layer": "32",   "whisper.cpp.n_text_layer": "2",
 *     "whisper.cpp.n_mels": "128",         "whisper.cpp.ftype": "q5_0"
 *   }
 * </pre>
 *
 * <p>{@code ftype} is a weight type's label ({@code f32}, {@code f16}, {@code q4_0}, {@code q4_1},
 * {@code q5_0}, {@code q5_1}, {@code q8_0}, {@code q2_k} … {@code q6_k}). A manifest without these
 * annotations expects nothing beyond a well-formed file.
 */
record GgmlExpectation(
    OptionalInt nVocab, OptionalInt nAudioState, OptionalInt nAudioLayer, OptionalInt nTextLayer, OptionalInt nMels,
    Optional<WeightType> weights) {

  static final String PREFIX = "whisper.cpp.";
  static final String N_VOCAB = PREFIX + "n_vocab";
  static final String N_AUDIO_STATE = PREFIX + "n_audio_state";
  static final String N_AUDIO_LAYER = PREFIX + "n_audio_layer";
  static final String N_TEXT_LAYER = PREFIX + "n_text_layer";
  static final String N_MELS = PREFIX + "n_mels";
  static final String FTYPE = PREFIX + "ftype";

  /** Nothing expected. */
  static final GgmlExpectation NONE = new GgmlExpectation(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
      OptionalInt.empty(), OptionalInt.empty(), Optional.empty());

  /**
   * Reads the expectation from a manifest's annotations.
   *
   * @throws IllegalArgumentException when an annotation's value is no positive number or no known
   *     weight type; the message names the annotation
   */
  static GgmlExpectation of(Manifest manifest) {
    Map<String, String> a = manifest.annotations();
    Optional<WeightType> weights = Optional.ofNullable(a.get(FTYPE)).map(v -> WeightType.ofLabel(v.strip())
        .orElseThrow(() -> new IllegalArgumentException("its annotation " + FTYPE + " is \"" + shorten(v)
            + "\", not a ggml weight type such as f16 or q5_0")));
    return new GgmlExpectation(number(a, N_VOCAB), number(a, N_AUDIO_STATE), number(a, N_AUDIO_LAYER),
        number(a, N_TEXT_LAYER), number(a, N_MELS), weights);
  }

  private static OptionalInt number(Map<String, String> a, String key) {
    String v = a.get(key);
    if (v == null) {
      return OptionalInt.empty();
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n > 0) {
        return OptionalInt.of(n);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("its annotation " + key + " is \"" + shorten(v) + "\", not a positive whole number");
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /**
   * How the header differs from this expectation, as "the manifest expects n_mels 128, ftype q5_0;
   * the file is a base shape (…)", or empty when it matches.
   */
  Optional<String> mismatch(GgmlHeader h) {
    List<String> wanted = new ArrayList<>();
    check(wanted, "n_vocab", nVocab, h.nVocab());
    check(wanted, "n_audio_state", nAudioState, h.nAudioState());
    check(wanted, "n_audio_layer", nAudioLayer, h.nAudioLayer());
    check(wanted, "n_text_layer", nTextLayer, h.nTextLayer());
    check(wanted, "n_mels", nMels, h.nMels());
    weights.filter(w -> w != h.weightType()).ifPresent(w -> wanted.add("ftype " + w.label()));
    if (wanted.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("the manifest expects " + String.join(", ", wanted) + "; the file's header describes a "
        + h.describe());
  }

  private static void check(List<String> wanted, String name, OptionalInt expected, int actual) {
    if (expected.isPresent() && expected.getAsInt() != actual) {
      wanted.add(name + " " + expected.getAsInt());
    }
  }
}
