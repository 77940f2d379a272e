package soko.runtime.manager;

import java.util.Optional;
import soko.manifest.Language;
import soko.manifest.Task;

/**
 * A job to find a model for: a task narrowed to one language (none for vad) and a target for
 * translation tasks. Its {@link #alias()} is the built-in alias that names the job.
 *
 * @param task what the model must do
 * @param language the language of the input; empty exactly for vad (the target too)
 * @param target the language of the output; present exactly for the translation tasks (the
 *     constructor throws {@code IllegalArgumentException} when the languages do not fit the task)
 */
public record Need(Task task, Optional<Language> language, Optional<Language> target) {
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

  public static Need vad() {
    return new Need(Task.VAD, Optional.empty(), Optional.empty());
  }

  public static Need asr(Language spoken) {
    return new Need(Task.ASR, Optional.of(spoken), Optional.empty());
  }

  public static Need speechTranslate(Language spoken, Language to) {
    return new Need(Task.SPEECH_TRANSLATE, Optional.of(spoken), Optional.of(to));
  }

  public static Need translate(Language from, Language to) {
    return new Need(Task.TRANSLATE, Optional.of(from), Optional.of(to));
  }

  /** The alias for this job: vad, ja-asr, ja-en-speech, ja-en. */
  public String alias() {
    return switch (task) {
      case VAD -> "vad";
      case ASR -> language.orElseThrow() + "-asr";
      case SPEECH_TRANSLATE -> language.orElseThrow() + "-" + target.orElseThrow() + "-speech";
      case TRANSLATE -> language.orElseThrow() + "-" + target.orElseThrow();
    };
  }
}
