package soko.app;

import java.util.Optional;
import soko.catalog.Alias;
import soko.catalog.Hardware;
import soko.catalog.Recommendation;
import soko.manifest.Manifest;

/**
 * What pulling an alias installs, and why: the model recommended for this computer ({@link
 * Recommendation#pick}), the model named with {@code --model}, or, when nothing can be recommended
 * (only demo models can do the job, or nothing fits the memory), the first candidate that a catalog
 * lists. Running a model is another matter: an alias then uses the first installed candidate.
 *
 * @param alias the alias that was pulled
 * @param manifest the model to install
 * @param how why this model
 * @param pick the recommendation for this computer, with every candidate's estimate; its model may
 *     differ from {@code manifest} (named) or be empty (first listed)
 * @param hardware the computer the pick was made for
 * @param limits what the pick allowed
 */
public record AliasChoice(Alias alias, Manifest manifest, How how, Recommendation.Pick pick, Hardware hardware,
    Recommendation.Limits limits) {
  /** Why the model was chosen. */
  public enum How {
    /** The recommendation for this computer. */
    RECOMMENDED,
    /** Named with {@code --model}. */
    NAMED,
    /** Nothing could be recommended: the first candidate a catalog lists, as before recommendations. */
    FIRST_LISTED;

    /**
     * The id JSON documents use.
     *
     * @return {@code recommended}, {@code named} or {@code first-listed}
     */
    public String id() {
      return switch (this) {
        case RECOMMENDED -> "recommended";
        case NAMED -> "named";
        case FIRST_LISTED -> "first-listed";
      };
    }
  }

  /**
   * The recommended model, if any; it is {@link #manifest} unless the choice was {@link How#NAMED}.
   *
   * @return the pick's model; empty when nothing could be recommended
   */
  public Optional<Manifest> recommended() {
    return pick.model();
  }

  /**
   * One line for people: {@code ja-asr: whisper-small-q5_1 1.0.0 (181 MiB, MIT) — best Japanese
   * accuracy that fits 12 GiB and 2 cores; about 0.45× real time}.
   *
   * @return the alias, the model with its size and licence, and why it was chosen
   */
  public String describe() {
    String model = manifest.name() + " " + manifest.version() + " (" + Bytes.human(manifest.totalSize()) + ", "
        + manifest.license().spdx() + ")";
    String why = switch (how) {
      case RECOMMENDED -> withoutName(pick.reason());
      case NAMED -> "named with --model" + pick.model()
          .filter(r -> !r.name().equals(manifest.name()))
          .map(r -> "; the recommendation for this computer is " + r.name())
          .orElse(pick.model().isPresent() ? ", and also the recommendation for this computer" : "");
      case FIRST_LISTED -> "the alias's first candidate, since nothing could be recommended: " + pick.reason();
    };
    return alias.name() + ": " + model + " — " + why;
  }

  /** The pick's reason without its leading "model: ". */
  static String withoutName(String reason) {
    int colon = reason.indexOf(": ");
    return colon < 0 ? reason : reason.substring(colon + 2);
  }
}
