package soko.manifest;

import java.util.List;
import java.util.Optional;

/**
 * One task a model performs, with its languages.
 *
 * <ul>
 *   <li>{@code vad}: no languages needed (any listed are informative);
 *   <li>{@code asr}: the spoken languages it transcribes;
 *   <li>{@code speech-translate}: the spoken languages, and the {@code target} text language;
 *   <li>{@code translate}: the source languages and the {@code target} language.
 * </ul>
 */
public record TaskSpec(Task task, List<Language> languages, Optional<Language> target) {
  public TaskSpec {
    languages = List.copyOf(languages);
    switch (task) {
      case VAD -> { }
      case ASR -> {
        if (languages.isEmpty()) {
          throw new IllegalArgumentException("an asr task needs at least one language");
        }
        if (target.isPresent()) {
          throw new IllegalArgumentException("an asr task has no target language; use speech-translate");
        }
      }
      case SPEECH_TRANSLATE, TRANSLATE -> {
        if (languages.isEmpty() || target.isEmpty()) {
          throw new IllegalArgumentException("a " + task.id() + " task needs source languages and a target language");
        }
        if (languages.contains(target.get())) {
          throw new IllegalArgumentException("a " + task.id() + " task cannot translate " + target.get() + " into itself");
        }
      }
    }
  }

  public static TaskSpec vad() {
    return new TaskSpec(Task.VAD, List.of(), Optional.empty());
  }

  public static TaskSpec asr(Language... languages) {
    return new TaskSpec(Task.ASR, List.of(languages), Optional.empty());
  }

  public static TaskSpec translate(Language from, Language to) {
    return new TaskSpec(Task.TRANSLATE, List.of(from), Optional.of(to));
  }

  public static TaskSpec speechTranslate(Language to, Language... from) {
    return new TaskSpec(Task.SPEECH_TRANSLATE, List.of(from), Optional.of(to));
  }

  /** True when this spec performs {@code task} from {@code language} (any language for vad). */
  public boolean covers(Task task, Optional<Language> language, Optional<Language> to) {
    if (this.task != task) {
      return false;
    }
    if (task == Task.VAD) {
      return true;
    }
    if (language.isPresent() && !languages.contains(language.get())) {
      return false;
    }
    return to.isEmpty() || target.equals(to);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(task.id());
    if (!languages.isEmpty()) {
      sb.append(' ').append(String.join(",", languages.stream().map(Language::code).toList()));
    }
    target.ifPresent(t -> sb.append("→").append(t.code()));
    return sb.toString();
  }
}
