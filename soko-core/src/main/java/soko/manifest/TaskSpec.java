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
 *
 * <p>Immutable and thread-safe.
 *
 * @param task what the model does
 * @param languages the spoken or source languages, in the manifest's order (copied)
 * @param target the language it produces, present exactly for {@code speech-translate} and {@code
 *     translate}, and never one of {@code languages}
 */
public record TaskSpec(Task task, List<Language> languages, Optional<Language> target) {
  /**
   * Checks the languages against the task.
   *
   * @throws IllegalArgumentException if an {@code asr} task has no language or has a target, or a
   *     translating task lacks its languages or target or translates a language into itself
   */
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

  /**
   * Voice activity detection, for any language.
   *
   * @return a {@code vad} spec with no languages
   */
  public static TaskSpec vad() {
    return new TaskSpec(Task.VAD, List.of(), Optional.empty());
  }

  /**
   * Speech recognition.
   *
   * @param languages the spoken languages transcribed, at least one
   * @return an {@code asr} spec
   * @throws IllegalArgumentException if no language is given
   */
  public static TaskSpec asr(Language... languages) {
    return new TaskSpec(Task.ASR, List.of(languages), Optional.empty());
  }

  /**
   * Text translation from one language.
   *
   * @param from the source language
   * @param to the target language, not {@code from}
   * @return a {@code translate} spec
   * @throws IllegalArgumentException if {@code from} equals {@code to}
   */
  public static TaskSpec translate(Language from, Language to) {
    return new TaskSpec(Task.TRANSLATE, List.of(from), Optional.of(to));
  }

  /**
   * Speech translation.
   *
   * @param to the language of the text produced
   * @param from the spoken languages, at least one, none of them {@code to}
   * @return a {@code speech-translate} spec
   * @throws IllegalArgumentException if {@code from} is empty or contains {@code to}
   */
  public static TaskSpec speechTranslate(Language to, Language... from) {
    return new TaskSpec(Task.SPEECH_TRANSLATE, List.of(from), Optional.of(to));
  }

  /**
   * Whether this spec performs {@code task} from {@code language} into {@code to}.
   *
   * @param task the task asked for
   * @param language the source language asked for; empty for any (and ignored for {@code vad})
   * @param to the target language asked for; empty for any
   * @return true when the task matches and each given language is covered
   */
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

  /**
   * For messages and reports.
   *
   * @return the task and languages, such as {@code translate ja→en} or {@code asr ja,ko}
   */
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
