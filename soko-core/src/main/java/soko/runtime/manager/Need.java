package soko.runtime.manager;

import java.util.Optional;
import soko.manifest.Language;
import soko.manifest.Task;

/**
 * A job to find a model for: a task narrowed to one language (none for vad) and a target for
 * translation tasks. Its {@link #alias()} is the built-in alias that names the job.
 *
 * <p>Immutable and thread-safe.
 *
 * @param task what the model must do
 * @param language the language of the input; empty exactly for vad (the target too)
 * @param target the language of the output; present exactly for the translation tasks (the
 *     constructor throws {@code IllegalArgumentException} when the languages do not fit the task)
 */
public record Need(Task task, Optional<Language> language, Optional<Language> target) {
  /**
   * Checks that the languages fit the task.
   *
   * @param task what the model must do
   * @param language the input language; empty exactly for vad
   * @param target the output language; present exactly for the translation tasks, and not {@code language}
   * @throws IllegalArgumentException when the languages do not fit the task
   */
  public Need {
    switch (task) {
      case VAD -> {
        if (language.isPresent() || target.isPresent()) {
          throw new IllegalArgumentException("vad takes no language");
        }
      }
      case ASR -> {
        if (language.isEmpty() || target.isPresent()) {
          throw new IllegalArgumentException("asr takes a spoken language and no target");
        }
      }
      case SPEECH_TRANSLATE, TRANSLATE -> {
        if (language.isEmpty() || target.isEmpty() || language.equals(target)) {
          throw new IllegalArgumentException(task.id() + " takes a source language and a different target language");
        }
      }
    }
  }

  /**
   * Voice activity detection.
   *
   * @return the job, with no language
   */
  public static Need vad() {
    return new Need(Task.VAD, Optional.empty(), Optional.empty());
  }

  /**
   * Speech recognition.
   *
   * @param spoken the language spoken in the audio
   * @return the job
   */
  public static Need asr(Language spoken) {
    return new Need(Task.ASR, Optional.of(spoken), Optional.empty());
  }

  /**
   * Speech translation.
   *
   * @param spoken the language spoken in the audio
   * @param to the language of the text, different from {@code spoken}
   * @return the job
   * @throws IllegalArgumentException when {@code to} equals {@code spoken}
   */
  public static Need speechTranslate(Language spoken, Language to) {
    return new Need(Task.SPEECH_TRANSLATE, Optional.of(spoken), Optional.of(to));
  }

  /**
   * Text translation.
   *
   * @param from the source language
   * @param to the target language, different from {@code from}
   * @return the job
   * @throws IllegalArgumentException when {@code to} equals {@code from}
   */
  public static Need translate(Language from, Language to) {
    return new Need(Task.TRANSLATE, Optional.of(from), Optional.of(to));
  }

  /**
   * The alias for this job: vad, ja-asr, ja-en-speech, ja-en.
   *
   * @return the built-in alias's name
   */
  public String alias() {
    return switch (task) {
      case VAD -> "vad";
      case ASR -> language.orElseThrow() + "-asr";
      case SPEECH_TRANSLATE -> language.orElseThrow() + "-" + target.orElseThrow() + "-speech";
      case TRANSLATE -> language.orElseThrow() + "-" + target.orElseThrow();
    };
  }
}
