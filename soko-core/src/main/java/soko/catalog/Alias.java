package soko.catalog;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.manifest.ModelName;
import soko.manifest.Task;
import soko.manifest.TaskSpec;

/**
 * A short name for "the best model for this job", such as {@code ja-en} for translating Japanese
 * text into English, with candidate models in order of preference.
 *
 * <p>At use time the first <em>installed</em> candidate wins ({@link #pick}); to pull, Soko installs
 * the candidate recommended for the computer ({@link Recommendation#pick}), or, when none can be
 * recommended, the first candidate that a catalog lists ({@link Catalogs#resolve}).
 *
 * <p>Rules a catalog enforces: every candidate that the catalog lists must perform {@link #task}
 * and allow commercial use;
 * a candidate the catalog does not list is allowed (it may come from another catalog or be
 * installed from a file) but at least one candidate must be listed in the same catalog.
 *
 * @param name the alias, spelled like a model name; never the name of a model
 * @param task the job, narrowed to one language: {@code vad} has none; {@code asr} has one spoken
 *     language; {@code translate} and {@code speech-translate} have one source and a target
 * @param candidates distinct model names, most preferred first; 1 to {@link #MAX_CANDIDATES}
 *     (copied)
 */
public record Alias(String name, TaskSpec task, List<ModelName> candidates) {
  /** The most candidates one alias may list. */
  public static final int MAX_CANDIDATES = 16;

  /**
   * Checks the alias. Immutable and thread-safe once made.
   *
   * @throws IllegalArgumentException if the name is not spelled like a model name, there are no or
   *     too many candidates, a candidate is listed twice, or the task names the wrong number of
   *     languages
   */
  public Alias {
    try {
      ModelName.parse(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("an alias is spelled like a model name: " + e.getMessage(), e);
    }
    candidates = List.copyOf(candidates);
    if (candidates.isEmpty() || candidates.size() > MAX_CANDIDATES) {
      throw new IllegalArgumentException("an alias has 1 to " + MAX_CANDIDATES + " candidate models");
    }
    if (new HashSet<>(candidates).size() != candidates.size()) {
      throw new IllegalArgumentException("an alias lists a candidate model twice");
    }
    int languages = task.task() == Task.VAD ? 0 : 1;
    if (task.languages().size() != languages) {
      throw new IllegalArgumentException("a " + task.task().id() + " alias names " + (languages == 0 ? "no language" : "exactly one language"));
    }
  }

  /**
   * An alias for voice activity detection.
   *
   * @param name the alias
   * @param candidates model names, most preferred first
   * @return the alias
   * @throws IllegalArgumentException as the canonical constructor
   */
  public static Alias vad(String name, List<ModelName> candidates) {
    return new Alias(name, TaskSpec.vad(), candidates);
  }

  /**
   * An alias for speech recognition in {@code language}.
   *
   * @param name the alias
   * @param language the spoken language
   * @param candidates model names, most preferred first
   * @return the alias
   * @throws IllegalArgumentException as the canonical constructor
   */
  public static Alias asr(String name, Language language, List<ModelName> candidates) {
    return new Alias(name, TaskSpec.asr(language), candidates);
  }

  /**
   * An alias for text translation {@code from} → {@code to}.
   *
   * @param name the alias
   * @param from the source language
   * @param to the target language, not {@code from}
   * @param candidates model names, most preferred first
   * @return the alias
   * @throws IllegalArgumentException as the canonical constructor, or if {@code from} equals {@code to}
   */
  public static Alias translate(String name, Language from, Language to, List<ModelName> candidates) {
    return new Alias(name, TaskSpec.translate(from, to), candidates);
  }

  /**
   * An alias for speech in {@code from} to text in {@code to}.
   *
   * @param name the alias
   * @param from the spoken language
   * @param to the language of the text, not {@code from}
   * @param candidates model names, most preferred first
   * @return the alias
   * @throws IllegalArgumentException as the canonical constructor, or if {@code from} equals {@code to}
   */
  public static Alias speechTranslate(String name, Language from, Language to, List<ModelName> candidates) {
    return new Alias(name, TaskSpec.speechTranslate(to, from), candidates);
  }

  /**
   * The language the alias's job starts from.
   *
   * @return the spoken or source language; empty for {@code vad}
   */
  public Optional<Language> language() {
    return task.languages().stream().findFirst();
  }

  /**
   * Whether a model can do this alias's job.
   *
   * @param model a model's manifest
   * @return true when {@code model} performs this alias's task in its language(s)
   */
  public boolean servedBy(Manifest model) {
    return model.tasks().stream().anyMatch(t -> t.covers(task.task(), language(), task.target()));
  }

  /**
   * The model to use now.
   *
   * @param installed whether a model name is installed; called on the calling thread, in candidate
   *     order, until it first holds
   * @return the first candidate for which {@code installed} holds, or empty when none does
   */
  public Optional<ModelName> pick(Predicate<ModelName> installed) {
    return candidates.stream().filter(installed).findFirst();
  }

  /**
   * The first candidate that is installed and can do this alias's task, by its installed manifest
   * (which may differ from any catalog's): the model to use now.
   *
   * @param installed the installed manifest of a model name, or empty
   * @return the manifest of that candidate, or empty when no candidate is installed and capable
   */
  public Optional<Manifest> pickCapable(Function<ModelName, Optional<Manifest>> installed) {
    return candidates.stream().map(installed).flatMap(Optional::stream).filter(this::servedBy).findFirst();
  }

  /**
   * Why {@code model} may not be a candidate of {@code alias}, completing "model X ...", or null: it
   * must do the alias's task
   * in its language(s), and its licence must allow commercial use (a non-commercial model is
   * installed only when named, never through an alias).
   */
  static @Nullable String refusal(Alias alias, Manifest model) {
    if (!alias.servedBy(model)) {
      return "does not do " + alias.task() + "; its tasks are "
          + String.join("; ", model.tasks().stream().map(Object::toString).toList());
    }
    if (ModelFacts.nonCommercial(model)) {
      String why = ModelFacts.NON_COMMERCIAL.equals(model.annotations().get(ModelFacts.LICENSE_RESTRICTION))
          ? "its manifest says " + ModelFacts.LICENSE_RESTRICTION + ": " + ModelFacts.NON_COMMERCIAL
          : model.license().spdx();
      return "is licensed for non-commercial use only (" + why
          + "); such a model is installed only when named, never through an alias";
    }
    return null;
  }

  @Override
  public String toString() {
    return name + " (" + task + ": " + String.join(", ", candidates.stream().map(ModelName::value).toList()) + ")";
  }
}
